/**
 * The lambda phase of `npm run bench`: the service's functions as Lambda runs them (own execution
 * environments loading the shipped bundles, each held to memory/1769 of a vCPU), measured
 * 1. per function at its default memory (Init, first and warm Duration; Init against TimeoutSeconds),
 * 2. as the whole GET /thumbnail, fully cold and warm, against the in-process path,
 * 3. per function across memory sizes (power tuning, with cost per million),
 * 4. as cost per million thumbnails, next to the one-Lambda variant measured in the same run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { FunctionName } from "../../infra/catalog";
import type { LambdaPhaseConfig } from "../config";
import type { BenchInput } from "../inputs";
import { startBenchService } from "../service";
import type { Verdict } from "../targets";
import { initVerdicts, measureAtDefaults, type FunctionAtDefault } from "./defaults";
import { chainTasks, newThumbnailRequest, workloads, type Workload } from "./events";
import { defaultMemoryMb, startFunctions } from "./functions";
import { FULLY_COLD_TARGET_MS, WARM_RATIO_TARGET, measurePath, type PathResult } from "./path";
import { PRICES, PRICES_REGION, PRICES_TAKEN_ON } from "./prices";
import { serviceCosts, type ScenarioCost } from "./service-cost";
import { measureTuning, type TuningCell } from "./tuning";

export interface LambdaPhaseResult {
  /** How environments were held to their CPU share; "none" means every figure is unthrottled. */
  throttling: { kind: "v1" | "v2" | "none"; reason?: string };
  cores: number;
  loadAtStart: number;
  loadAtEnd: number;
  input: string;
  res: string;
  format: string;
  settings: LambdaPhaseConfig;
  perFunction: FunctionAtDefault[];
  tuning: TuningCell[];
  path: PathResult;
  cost: ScenarioCost[];
  prices: { takenOn: string; region: string; items: typeof PRICES };
  verdicts: Verdict[];
}

export interface LambdaPhaseOptions {
  config: LambdaPhaseConfig;
  input: BenchInput;
  res: string;
  format: "jpeg";
  progress: (message: string) => void;
}

function pathVerdicts(p: PathResult): Verdict[] {
  const verdict = (
    name: string,
    value: number,
    op: "<=" | ">=",
    limit: number,
    kind: Verdict["kind"] = "target",
  ): Verdict => ({
    kind,
    name,
    value,
    op,
    limit,
    pass: Number.isFinite(value) && (op === "<=" ? value <= limit : value >= limit),
  });
  return [
    verdict(`fully cold GET /thumbnail p50 ms, ${p.input}, Lambda CPU`, p.fullyColdP50Ms, "<=", FULLY_COLD_TARGET_MS),
    verdict(`warm GET /thumbnail p50, isolated / in-process, ${p.input}`, p.warmRatio, "<=", WARM_RATIO_TARGET),
    verdict(
      "S3 requests per thumbnail as counted = as read from the code (1 = yes)",
      p.s3.matches ? 1 : 0,
      ">=",
      1,
      "check",
    ),
  ];
}

export async function measureLambdaPhase(o: LambdaPhaseOptions): Promise<LambdaPhaseResult> {
  const loadAtStart = os.loadavg()[0] ?? Number.NaN;
  const bundleDir = await mkdtemp(path.join(os.tmpdir(), "thumb-bench-lambda-"));
  const inProcess = await startBenchService();
  try {
    const serviceConfig = inProcess.service.config;
    await inProcess.seed(o.input);
    const imageName = await inProcess.freshCopy(o.input);

    o.progress(
      `  per function at its default memory (${o.config.coldRuns} cold run(s), ${o.config.warmPerRun} warm after each)`,
    );
    const atDefaults = await startFunctions(serviceConfig, bundleDir, defaultMemoryMb);
    const throttling = atDefaults.throttling;
    if (throttling.kind === "none") {
      o.progress(
        `!!! UNTHROTTLED: no cgroup could be made (${throttling.reason ?? "unknown"}); every figure of this phase is at full cores, NOT at Lambda's CPU share`,
      );
    }
    let perFunction: FunctionAtDefault[];
    let work: Record<FunctionName, Workload>;
    try {
      // Real Task events: the five tasks chained once on a fresh upload, each output the next input.
      const events = await chainTasks((n) => atDefaults.pool(n), newThumbnailRequest(imageName, o.res, o.format));
      work = workloads(events, inProcess.s3, serviceConfig, imageName, o.res, o.format);
      perFunction = await measureAtDefaults(
        atDefaults,
        work,
        { runs: o.config.coldRuns, warmPerRun: o.config.warmPerRun },
        o.progress,
      );
    } finally {
      await atDefaults.close();
    }

    o.progress(
      `  power tuning: small functions at ${o.config.tuningSmallMb.join(", ")} MB, resize at ${o.config.tuningResizeMb.join(", ")} MB`,
    );
    const tuning = await measureTuning({
      plan: { small: o.config.tuningSmallMb, resize: o.config.tuningResizeMb },
      config: serviceConfig,
      bundleDir,
      work,
      defaults: perFunction,
      runs: o.config.tuningRuns,
      warmPerRun: o.config.tuningWarmPerRun,
      progress: o.progress,
    });

    o.progress("  the whole GET /thumbnail, isolated against in-process, and the one-Lambda variant");
    const p = await measurePath({
      input: o.input,
      res: o.res,
      format: o.format,
      coldRuns: o.config.coldRuns,
      warmSamples: o.config.pathSamples,
      bundleDir,
      inProcess,
      progress: o.progress,
    });

    return {
      throttling,
      cores: os.availableParallelism(),
      loadAtStart,
      loadAtEnd: os.loadavg()[0] ?? Number.NaN,
      input: o.input.name,
      res: o.res,
      format: o.format,
      settings: o.config,
      perFunction,
      tuning,
      path: p,
      cost: serviceCosts(p),
      prices: { takenOn: PRICES_TAKEN_ON, region: PRICES_REGION, items: PRICES },
      verdicts: [...initVerdicts(perFunction), ...pathVerdicts(p)],
    };
  } finally {
    await inProcess.close();
    await rm(bundleDir, { recursive: true, force: true });
  }
}
