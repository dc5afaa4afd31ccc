/**
 * The whole service on one machine: local S3 (s3rver behind our gate), local Step Functions (the
 * ASL interpreter running statemachine/ with the real Task handlers), and the app server (web page
 * + API handlers). The handlers are the ones deployed to Lambda; only endpoints and credentials differ.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { API_FUNCTION_TIMEOUT_SECONDS } from "../lambdas/shared/budget";
import { CONFIG_ENV, configToEnv, parseConfig } from "../lambdas/shared/config";
import type { StaticCredentials } from "../lambdas/shared/http-agent";
import { createS3Client } from "../lambdas/shared/s3-client";
import { createSfnClient } from "../lambdas/shared/sfn-client";
import type { ServiceConfig } from "../lambdas/shared/types";
import { placeholderValues, renderDefinition } from "../statemachine/definition";
import { FUNCTION_NAMES, functionMemoryMb, perTask, type FunctionName } from "../infra/catalog";
import { STACK_DEFAULTS } from "../infra/stack-config";
import { functionTimeoutSeconds } from "../infra/timeouts";
import { buildWeb } from "../web/build";
import { startApp, type HttpApiHandler } from "./app";
import { inProcessHandlers, isolatedHandlers } from "./handlers";
import { reportLine, startLocalLambda, type InvocationReport, type LocalLambda } from "./lambda";
import { pageAuthConfig, type LocalAuthSettings } from "./auth/settings";
import { startLocalS3, type LocalS3 } from "./s3";
import { SfnApiError, createLocalStepFunctions, startLocalSfnServer, type LocalStepFunctions } from "./stepfunctions";

export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";
/** The local S3 gate accepts only these; they are not secrets, just what real signing needs. */
export const LOCAL_CREDENTIALS: StaticCredentials = {
  accessKeyId: "LOCALDEVACCESSKEY",
  secretAccessKey: "local-dev-secret-key",
};
export const LOCAL_BUCKETS = { source: "thumbnail-uploads", thumbnails: "thumbnail-public" } as const;
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:thumbnail-local`;
/** Mirrors the deployed API function's timeout (state machine 28 s < 29 s < HTTP API 30 s). */
export const API_TIMEOUT_MS = API_FUNCTION_TIMEOUT_SECONDS * 1000;

export interface LocalServiceOptions {
  host?: string;
  port: number;
  s3Port: number;
  sfnPort: number;
  dataDir: string;
  /** Config overrides by environment variable name (CONFIG_ENV), e.g. { MAX_UPLOAD_BYTES: "200000" }. */
  overrides?: Record<string, string>;
  /** Retry waits in ms by state name; tests pass 0 so retries do not sleep. */
  retryIntervalOverrides?: Record<string, number | number[]>;
  /**
   * Tests only: replaces the definition's TimeoutSeconds. The deployed budget (28 s) is longer than
   * every Task's retries together, so an execution timeout can only be provoked with a shorter one.
   */
  stateMachineTimeoutSeconds?: number;
  /**
   * Run every function as Lambda does (LAMBDA_ISOLATION=1): its own execution environments loading
   * its shipped bundle, at its memory's CPU share. Without it, handlers run in this process.
   */
  isolation?: IsolationOptions;
  /** JWT_ISSUER/JWT_AUDIENCE: sign-in required as with the stack's jwtIssuer/jwtAudience (local/auth/). */
  auth?: LocalAuthSettings;
}

export interface IsolationOptions {
  /** An idle environment is reaped after this long (default 5 min). */
  idleMs?: number;
  /** Memory per function; defaults to what `pulumi up` deploys. */
  memoryMb?: Partial<Record<FunctionName, number>>;
  /** Where bundles are built (default <dataDir>/lambda); tests share one per process. */
  bundleDir?: string;
  /** Each invocation's REPORT (default: printed as Lambda logs it). */
  onReport?: (report: InvocationReport) => void;
  /** Each line a function logs (default: printed with the function's name). */
  onLog?: (functionName: string, line: string) => void;
}

export interface LocalService {
  appUrl: string;
  s3Endpoint: string;
  sfnEndpoint: string;
  config: ServiceConfig;
  credentials: StaticCredentials;
  s3: LocalS3;
  sfn: LocalStepFunctions;
  /** The local Lambda service, when isolation is on. */
  lambda?: LocalLambda;
  close(): Promise<void>;
}

const functionArn = (name: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:thumbnail-local-${name}`;

const TASK_FUNCTION_ARNS = perTask((task) => functionArn(task.name));

/** Only configuration keys pass from the overrides into the service config. */
function configOverrides(overrides: Record<string, string | undefined>): Record<string, string> {
  const names = new Set<string>(Object.values(CONFIG_ENV));
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(overrides))
    if (names.has(name) && value !== undefined) picked[name] = value;
  return picked;
}

export async function startLocalService(options: LocalServiceOptions): Promise<LocalService> {
  const host = options.host ?? "127.0.0.1";
  const overrides = configOverrides(options.overrides ?? {});
  let config: ServiceConfig | undefined;
  let routes: Record<string, HttpApiHandler> = {};
  const webDir = join(options.dataDir, "web");
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  let sfn: LocalStepFunctions | undefined;

  try {
    await mkdir(options.dataDir, { recursive: true });
    await buildWeb(webDir);
    // The app listens first: its origin must be on the upload bucket's CORS list.
    const app = await startApp({
      host,
      port: options.port,
      routes: () => routes,
      allowedOrigins: () => config?.allowedOrigins ?? [],
      staticDir: () => webDir,
      runtimeConfig: { apiBaseUrl: "", ...pageAuthConfig(options.auth) },
      ...(options.auth ? { auth: options.auth } : {}),
      executionLog: (name) => sfn?.getExecutionLog(name),
      apiTimeoutMs: API_TIMEOUT_MS,
    });
    closers.push(app.close);

    const origins = (overrides[CONFIG_ENV.allowedOrigins] ?? "*").split(",").map((s) => s.trim());
    const s3 = await startLocalS3({
      host,
      port: options.s3Port,
      dataDir: join(options.dataDir, "s3"),
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      buckets: [LOCAL_BUCKETS.source, LOCAL_BUCKETS.thumbnails],
      publicRead: [{ bucket: LOCAL_BUCKETS.thumbnails, prefix: "thumbnails/" }],
      cors: [{ bucket: LOCAL_BUCKETS.source, allowedOrigins: origins.includes("*") ? origins : [...origins, app.url] }],
    });
    closers.push(s3.close);

    // The SFN server's port is needed in config, so its engine is attached after config exists.
    const holder: { engine?: LocalStepFunctions } = {};
    const sfnServer = await startLocalSfnServer({ host, port: options.sfnPort, engine: lazyEngine(holder) });
    closers.push(sfnServer.close);

    config = parseConfig({
      [CONFIG_ENV.sourceBucket]: LOCAL_BUCKETS.source,
      [CONFIG_ENV.thumbnailBucket]: LOCAL_BUCKETS.thumbnails,
      [CONFIG_ENV.publicBaseUrl]: `${s3.endpoint}/${LOCAL_BUCKETS.thumbnails}`,
      [CONFIG_ENV.s3Endpoint]: s3.endpoint,
      [CONFIG_ENV.sfnEndpoint]: sfnServer.endpoint,
      [CONFIG_ENV.stateMachineArn]: LOCAL_STATE_MACHINE_ARN,
      [CONFIG_ENV.region]: LOCAL_REGION,
      ...overrides,
    });
    const lambda = options.isolation
      ? await startIsolatedFunctions(config, options.isolation, options.dataDir)
      : undefined;
    if (lambda) closers.push(lambda.close);
    const { tasks: handlers, api } = lambda
      ? isolatedHandlers(lambda)
      : inProcessHandlers({
          config,
          s3: createS3Client(config, LOCAL_CREDENTIALS),
          sfn: createSfnClient(config, LOCAL_CREDENTIALS),
        });
    const definition: Record<string, unknown> = JSON.parse(renderDefinition(placeholderValues(TASK_FUNCTION_ARNS)));
    if (options.stateMachineTimeoutSeconds !== undefined)
      definition["TimeoutSeconds"] = options.stateMachineTimeoutSeconds;
    const engine = createLocalStepFunctions({
      definition,
      stateMachineArn: LOCAL_STATE_MACHINE_ARN,
      handlers,
      ...(options.retryIntervalOverrides ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
    });
    holder.engine = engine;
    sfn = engine;
    routes = api;
    return {
      appUrl: app.url,
      s3Endpoint: s3.endpoint,
      sfnEndpoint: sfnServer.endpoint,
      config,
      credentials: LOCAL_CREDENTIALS,
      s3,
      sfn: engine,
      ...(lambda ? { lambda } : {}),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** The functions with the memory and timeout `pulumi up` gives them, and the environment it sets. */
async function startIsolatedFunctions(
  config: ServiceConfig,
  options: IsolationOptions,
  dataDir: string,
): Promise<LocalLambda> {
  const lambda = await startLocalLambda({
    functions: FUNCTION_NAMES.map((name) => ({
      name,
      memoryMb: options.memoryMb?.[name] ?? functionMemoryMb(name, STACK_DEFAULTS),
      timeoutSeconds: functionTimeoutSeconds(name),
    })),
    env: {
      ...configToEnv(config),
      AWS_REGION: config.region ?? LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      ...(process.env["LOG_LEVEL"] !== undefined ? { LOG_LEVEL: process.env["LOG_LEVEL"] } : {}),
    },
    bundleDir: options.bundleDir ?? join(dataDir, "lambda"),
    idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
    onReport: options.onReport ?? ((r) => console.log(`[${r.functionName}] ${reportLine(r)}`)),
    onLog: options.onLog ?? ((fn, line) => console.log(`[${fn}] ${line}`)),
  });
  if (lambda.throttling.kind === "none") {
    console.warn(
      `WARNING: LAMBDA_ISOLATION runs UNTHROTTLED: no cgroup could be made (${lambda.throttling.reason ?? "unknown"}). ` +
        "Functions get whole cores, so cold starts and durations are shorter than on Lambda.",
    );
  }
  return lambda;
}

/** Lambda keeps an idle execution environment for minutes; 5 min is a middle value. */
const DEFAULT_IDLE_MS = 5 * 60_000;

/** Forwards to the engine once it exists; a request before that is told the machine does not exist yet. */
function lazyEngine(holder: { engine?: LocalStepFunctions }): LocalStepFunctions {
  const engine = () => {
    if (!holder.engine) throw new SfnApiError("StateMachineDoesNotExist", "local Step Functions is still starting");
    return holder.engine;
  };
  return {
    startSyncExecution: (input) => engine().startSyncExecution(input),
    getExecutionLog: (name) => engine().getExecutionLog(name),
    get faults() {
      return engine().faults;
    },
  };
}
