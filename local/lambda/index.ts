/**
 * The local Lambda service (`LAMBDA_ISOLATION=1`): every function runs as Lambda runs it, in
 * execution environments of its own (pool.ts) that load the shipped bundle, each held to its
 * memory's CPU share and to its memory (cgroup.ts), cold on first use and on scale-out, warm while
 * reused, reaped when idle, with a REPORT line per invocation. No function can see another's
 * module state: each environment is its own process.
 */
import path from "node:path";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { FunctionName } from "../../infra/catalog";
import type { HttpApiHandler } from "../app";
import type { TaskHandler } from "../stepfunctions";
import { localBundles, PROJECT_ROOT, type EntryPoints } from "./bundles";
import { cgroupLimits, runtimeGroupName } from "./cgroup";
import { FunctionPool, type PoolStats } from "./pool";
import type { InvocationReport } from "./report";

export { reportLine, billedDurationMs, type InvocationReport } from "./report";
export { vcpusFor, cfsQuotaUs } from "./cpu-share";

export interface LambdaFunctionSpec {
  name: FunctionName;
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * A handler module to run in place of lambdas/<name>/handler.ts, bundled with <name>'s options
   * (the bench runs its one-Lambda variant as resize is built: sharp left outside the bundle).
   */
  entryPoint?: string;
}

export interface LocalLambdaOptions {
  functions: readonly LambdaFunctionSpec[];
  /** The environment every function gets (configuration, region, credentials). */
  env: Record<string, string>;
  /** Where the bundles are built. */
  bundleDir: string;
  /** An environment idle this long is reaped (Lambda keeps them for minutes). */
  idleMs: number;
  onReport?: (report: InvocationReport) => void;
  onLog?: (functionName: string, line: string) => void;
}

export interface LocalLambda {
  /** "v1"/"v2": environments are throttled to their CPU share; "none": they run unthrottled (see reason). */
  throttling: { kind: "v1" | "v2" | "none"; reason?: string };
  taskHandler(name: FunctionName): TaskHandler;
  apiHandler(name: FunctionName): HttpApiHandler;
  pool(name: FunctionName): FunctionPool;
  stats(): PoolStats[];
  /** The most recent REPORTs (bounded), oldest first. */
  reports(): InvocationReport[];
  close(): Promise<void>;
}

/** A function error as Step Functions and the app receive it: `name` is Lambda's errorType. */
export class LambdaInvocationError extends Error {
  constructor(errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

const REPORTS_KEPT = 1000;
const CGROUP_PREFIX = "thumbnail-local";

export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const entryPoints: EntryPoints = {};
  for (const f of options.functions) if (f.entryPoint !== undefined) entryPoints[f.name] = f.entryPoint;
  const bundles = await localBundles(
    options.bundleDir,
    options.functions.map((f) => f.name),
    entryPoints,
  );
  // Groups left by runtimes that were killed are swept first, so they do not pile up.
  const limits = cgroupLimits(runtimeGroupName(CGROUP_PREFIX, process.pid, Date.now().toString(36)), CGROUP_PREFIX);
  const reports: InvocationReport[] = [];
  const pools = new Map<FunctionName, FunctionPool>();
  for (const fn of options.functions) {
    const taskRoot = bundles.taskRoots[fn.name];
    if (taskRoot === undefined) throw new Error(`no bundle for ${fn.name}`);
    pools.set(
      fn.name,
      new FunctionPool({
        functionName: fn.name,
        taskRoot,
        bootstrap: bundles.bootstrap,
        memoryMb: fn.memoryMb,
        timeoutMs: fn.timeoutSeconds * 1000,
        idleMs: options.idleMs,
        limits,
        env: {
          ...options.env,
          LAMBDA_TASK_ROOT: taskRoot,
          _HANDLER: "index.handler",
          AWS_LAMBDA_FUNCTION_NAME: fn.name,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
          AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
          AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
          TZ: ":UTC",
          // Native packages left out of the bundle (sharp) come from the project's node_modules.
          NODE_PATH: path.join(PROJECT_ROOT, "node_modules"),
        },
        onLog: (line) => options.onLog?.(fn.name, line),
        onReport: (report) => {
          reports.push(report);
          if (reports.length > REPORTS_KEPT) reports.shift();
          options.onReport?.(report);
        },
      }),
    );
  }
  const pool = (name: FunctionName): FunctionPool => {
    const found = pools.get(name);
    if (found === undefined) throw new Error(`function ${name} is not served by the local Lambda service`);
    return found;
  };
  const invoke = async (name: FunctionName, event: unknown): Promise<unknown> => {
    const outcome = await pool(name).invoke(event);
    if (outcome.ok) return outcome.response;
    const error = outcome.error ?? { errorType: "Runtime.Unknown", errorMessage: "no outcome" };
    throw new LambdaInvocationError(error.errorType, error.errorMessage);
  };
  return {
    throttling: { kind: limits.kind, ...(limits.reason !== undefined ? { reason: limits.reason } : {}) },
    taskHandler: (name) => (event) => invoke(name, event),
    apiHandler: (name) => async (event) => (await invoke(name, event)) as APIGatewayProxyStructuredResultV2,
    pool,
    stats: () => [...pools.values()].map((p) => p.stats()),
    reports: () => [...reports],
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      limits.close();
    },
  };
}
