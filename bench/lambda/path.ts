/**
 * The whole `GET /thumbnail` with every function in its own environments at its CPU share (the
 * local service with LAMBDA_ISOLATION), against the same request through the in-process service:
 * - fully cold: every environment reaped, then one cache miss on a fresh upload, R times;
 * - warm: cache misses on fresh uploads, interleaved (rotated order) with the in-process service's
 *   and the one-Lambda variant's, plus the same request again (a hit) after each isolated miss.
 * Each isolated request keeps its functions' REPORT figures and its execution's billing, and the
 * S3 requests of one miss, one hit and one one-Lambda invocation are counted at the local S3.
 */
import path from "node:path";
import { FUNCTION_NAMES } from "../../infra/catalog";
import { functionTimeoutSeconds } from "../../infra/timeouts";
import type { OutputFormat } from "../../lambdas/shared/types";
import { startLocalLambda, type InvocationReport, type LocalLambda } from "../../local/lambda";
import { expressBilling as localExpressBilling } from "../../local/stepfunctions/billing";
import type { BenchInput } from "../inputs";
import { startBenchService, type BenchService, type ThumbnailAnswer } from "../service";
import { round1, summarize, type Summary } from "../stats";
import type { ExpressBilling } from "./cost";
import { apiEvent, type Workload } from "./events";
import { defaultMemoryMb, functionEnv } from "./functions";
import { measureColdWarm, type ColdWarm } from "./measure";
import { S3_FROM_CODE, S3RequestCounter, sameCounts, type S3OpCounts } from "./s3-requests";

/** Issue 11's targets for the whole request. */
export const FULLY_COLD_TARGET_MS = 3000;
export const WARM_RATIO_TARGET = 1.3;

export interface FunctionFigure {
  durationMs: number;
  initMs?: number;
  memoryMb: number;
}

export interface IsolatedSample {
  /** Request to last byte of the answer, through the local app. */
  ms: number;
  /** Each function's REPORT during the request, by name (one invocation each, no retries). */
  functions: Record<string, FunctionFigure>;
  /** The execution's duration (its log) and its billingDetails as the local answer computes them. */
  executionMs?: number;
  express?: ExpressBilling;
}

export interface PathOptions {
  input: BenchInput;
  res: string;
  format: OutputFormat;
  coldRuns: number;
  warmSamples: number;
  bundleDir: string;
  inProcess: BenchService;
  progress: (message: string) => void;
}

export interface PathResult {
  input: string;
  fullyCold: { ms: Summary; samples: IsolatedSample[] };
  warm: {
    isolatedMiss: Summary;
    inProcessMiss: Summary;
    isolatedHit: Summary;
    /** The one-Lambda function's Duration (invoked directly; no HTTP hop). */
    oneLambda: Summary;
  };
  samples: {
    isolatedMiss: IsolatedSample[];
    isolatedHit: IsolatedSample[];
    inProcessMiss: number[];
    oneLambda: number[];
  };
  /** The one-Lambda function at resize's memory, cold runs (Init + first Duration). */
  oneLambda: ColdWarm;
  s3: { counted: Record<keyof typeof S3_FROM_CODE, S3OpCounts>; fromCode: typeof S3_FROM_CODE; matches: boolean };
  targets: { fullyColdMs: number; warmRatio: number };
  /** Fully cold p50 and warm isolated/in-process p50. */
  fullyColdP50Ms: number;
  warmRatio: number;
}

const ONE_LAMBDA_ENTRY = path.join(__dirname, "one-lambda-handler.ts");

function figures(reports: readonly InvocationReport[]): Record<string, FunctionFigure> {
  const out: Record<string, FunctionFigure> = {};
  for (const r of reports) {
    out[r.functionName] = {
      durationMs: round1(r.durationMs),
      memoryMb: r.memorySizeMb,
      ...(r.initDurationMs !== undefined ? { initMs: round1(r.initDurationMs) } : {}),
    };
  }
  return out;
}

function executionOf(
  service: BenchService,
  executionName: string,
): { executionMs: number; express: ExpressBilling } | undefined {
  const log = service.service.sfn.getExecutionLog(executionName);
  if (log === undefined) return undefined;
  const executionMs = Date.parse(log.stopDate) - Date.parse(log.startDate);
  const details = localExpressBilling(executionMs);
  return {
    executionMs,
    express: { billedDurationMs: details.billedDurationInMilliseconds, billedMemoryMb: details.billedMemoryUsedInMB },
  };
}

async function startOneLambda(isolated: BenchService, bundleDir: string): Promise<LocalLambda> {
  return startLocalLambda({
    // Runs as resize is built and sized: its name, memory, timeout and build options.
    functions: [
      {
        name: "resize",
        memoryMb: defaultMemoryMb("resize"),
        timeoutSeconds: functionTimeoutSeconds("resize"),
        entryPoint: ONE_LAMBDA_ENTRY,
      },
    ],
    env: functionEnv(isolated.service.config),
    bundleDir: path.join(bundleDir, "one-lambda"),
    idleMs: 60 * 60_000,
    onLog: () => undefined,
  });
}

export async function measurePath(o: PathOptions): Promise<PathResult> {
  let collected: InvocationReport[] | undefined;
  const isolated = await startBenchService({
    isolation: {
      bundleDir: o.bundleDir,
      idleMs: 60 * 60_000,
      onLog: () => undefined,
      onReport: (r) => collected?.push(r),
    },
  });
  const lambda = isolated.service.lambda;
  let oneLambdaService: LocalLambda | undefined;
  try {
    if (lambda === undefined) throw new Error("the isolated bench service has no local Lambda service");
    oneLambdaService = await startOneLambda(isolated, o.bundleDir);
    const oneLambdaPool = oneLambdaService.pool("resize");
    await isolated.seed(o.input);
    await o.inProcess.seed(o.input);
    const oneLambdaEvent = (imageName: string): unknown =>
      apiEvent("/thumbnail", { imageName, res: o.res, format: o.format });

    const isolatedRequest = async (imageName: string): Promise<IsolatedSample> => {
      collected = [];
      // Every REPORT arrives before the answer does: the app answers after its function returned.
      const answer: ThumbnailAnswer = await isolated.thumbnail(imageName, o.res, o.format);
      const reports = collected;
      collected = undefined;
      return { ms: round1(answer.ms), functions: figures(reports), ...executionOf(isolated, answer.requestId) };
    };

    o.progress(`  fully cold GET /thumbnail: ${o.coldRuns} run(s), every environment reaped before each`);
    const coldSamples: IsolatedSample[] = [];
    for (let r = 0; r < o.coldRuns; r++) {
      await Promise.all(FUNCTION_NAMES.map((n) => lambda.pool(n).reapAll()));
      coldSamples.push(await isolatedRequest(await isolated.freshCopy(o.input)));
    }

    o.progress(`  one-Lambda variant at ${defaultMemoryMb("resize")} MB: ${o.coldRuns} cold run(s)`);
    let oneLambdaImage = "";
    const oneLambdaWork: Workload = {
      prepare: async () => {
        oneLambdaImage = await isolated.freshCopy(o.input);
      },
      event: () => oneLambdaEvent(oneLambdaImage),
    };
    const oneLambdaCold = await measureColdWarm(oneLambdaPool, defaultMemoryMb("resize"), oneLambdaWork, {
      runs: o.coldRuns,
      warmPerRun: 0,
    });

    o.progress(`  warm: ${o.warmSamples} sample(s) per variant, interleaved`);
    const samples: PathResult["samples"] = { isolatedMiss: [], isolatedHit: [], inProcessMiss: [], oneLambda: [] };
    const variants: ((record: boolean) => Promise<void>)[] = [
      async (record) => {
        const imageName = await isolated.freshCopy(o.input);
        const miss = await isolatedRequest(imageName);
        const hit = await isolatedRequest(imageName);
        if (record) {
          samples.isolatedMiss.push(miss);
          samples.isolatedHit.push(hit);
        }
      },
      async (record) => {
        const answer = await o.inProcess.thumbnail(await o.inProcess.freshCopy(o.input), o.res, o.format);
        if (record) samples.inProcessMiss.push(round1(answer.ms));
      },
      async (record) => {
        await oneLambdaWork.prepare?.();
        const outcome = await oneLambdaPool.invoke(oneLambdaWork.event());
        if (!outcome.ok)
          throw new Error(
            `the one-Lambda variant failed: ${outcome.error?.errorType ?? "?"}: ${outcome.error?.errorMessage ?? ""}`,
          );
        if (record) samples.oneLambda.push(round1(outcome.durationMs));
      },
    ];
    // One unrecorded round warms every environment, client and connection.
    for (const run of variants) await run(false);
    for (let i = 0; i < o.warmSamples; i++) {
      for (let k = 0; k < variants.length; k++) await variants[(i + k) % variants.length]?.(true);
    }

    o.progress("  S3 requests of one miss, one hit and one one-Lambda invocation");
    const counter = new S3RequestCounter(isolated.service.s3.port);
    const missImage = await isolated.freshCopy(o.input);
    const miss = await counter.during(() => isolated.thumbnail(missImage, o.res, o.format));
    const hit = await counter.during(() => isolated.thumbnail(missImage, o.res, o.format));
    await oneLambdaWork.prepare?.();
    const oneLambdaCounts = await counter.during(() => oneLambdaPool.invoke(oneLambdaWork.event()));
    const counted = { miss, hit, oneLambda: oneLambdaCounts };

    const warm = {
      isolatedMiss: summarize(samples.isolatedMiss.map((s) => s.ms)),
      inProcessMiss: summarize(samples.inProcessMiss),
      isolatedHit: summarize(samples.isolatedHit.map((s) => s.ms)),
      oneLambda: summarize(samples.oneLambda),
    };
    const fullyCold = { ms: summarize(coldSamples.map((s) => s.ms)), samples: coldSamples };
    return {
      input: o.input.name,
      fullyCold,
      warm,
      samples,
      oneLambda: oneLambdaCold,
      s3: {
        counted,
        fromCode: S3_FROM_CODE,
        matches:
          sameCounts(miss, S3_FROM_CODE.miss) &&
          sameCounts(hit, S3_FROM_CODE.hit) &&
          sameCounts(oneLambdaCounts, S3_FROM_CODE.oneLambda),
      },
      targets: { fullyColdMs: FULLY_COLD_TARGET_MS, warmRatio: WARM_RATIO_TARGET },
      fullyColdP50Ms: fullyCold.ms.p50,
      warmRatio: warm.isolatedMiss.p50 / warm.inProcessMiss.p50,
    };
  } finally {
    await oneLambdaService?.close();
    await isolated.close();
  }
}
