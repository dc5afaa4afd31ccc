/**
 * What a million thumbnails cost, from the whole-request measurements (path.ts): the service on a
 * cache miss and on a hit (warm), a miss with every function cold, and the one-Lambda variant warm
 * and cold. Each function is billed at its p50 Duration (plus p50 Init when cold) at its memory; the
 * workflow at its p50 execution time in Express's increments; S3 by the requests counted at the
 * local S3; one HTTP API request each. Uploads (presign + POST) and serving the image are left out:
 * both designs make them alike.
 */
import { summarize } from "../stats";
import { expressBilling, perMillion, thumbnailUsd, type CostBreakdown, type ThumbnailWork } from "./cost";
import { defaultMemoryMb } from "./functions";
import type { IsolatedSample, PathResult } from "./path";
import { byPriceClass } from "./s3-requests";

export const SCENARIOS = ["miss", "hit", "missCold", "oneLambda", "oneLambdaCold"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_LABELS: Record<Scenario, string> = {
  miss: "service, miss (warm)",
  hit: "service, hit (warm)",
  missCold: "service, miss (all cold)",
  oneLambda: "one Lambda (warm)",
  oneLambdaCold: "one Lambda (cold)",
};

export interface ScenarioCost {
  scenario: Scenario;
  work: ThumbnailWork;
  perThumbnail: CostBreakdown;
  perMillion: CostBreakdown;
}

/** Express bills memory in 64 MB chunks; the local answer bills our small executions the first chunk. */
const EXPRESS_MEMORY_MB = 64;

/** Each function's p50 Duration (and Init, where every sample had one) across the samples. */
function workOf(samples: readonly IsolatedSample[], s3: ThumbnailWork["s3"]): ThumbnailWork {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.functions)))];
  const invocations = names.map((name) => {
    const seen = samples.flatMap((s) => (s.functions[name] ? [s.functions[name]] : []));
    const inits = seen.flatMap((f) => (f.initMs !== undefined ? [f.initMs] : []));
    return {
      name,
      memoryMb: seen[0]?.memoryMb ?? 0,
      durationMs: summarize(seen.map((f) => f.durationMs)).p50,
      ...(inits.length === seen.length && inits.length > 0 ? { initMs: summarize(inits).p50 } : {}),
    };
  });
  const executions = samples.flatMap((s) => (s.executionMs !== undefined ? [s.executionMs] : []));
  return {
    invocations,
    ...(executions.length > 0 ? { express: expressBilling(summarize(executions).p50, EXPRESS_MEMORY_MB) } : {}),
    s3,
    httpApiRequests: 1,
  };
}

export function serviceCosts(p: PathResult): ScenarioCost[] {
  const oneLambdaMemoryMb = defaultMemoryMb("resize");
  const oneLambdaS3 = byPriceClass(p.s3.counted.oneLambda);
  const works: Record<Scenario, ThumbnailWork> = {
    miss: workOf(p.samples.isolatedMiss, byPriceClass(p.s3.counted.miss)),
    hit: workOf(p.samples.isolatedHit, byPriceClass(p.s3.counted.hit)),
    missCold: workOf(p.fullyCold.samples, byPriceClass(p.s3.counted.miss)),
    oneLambda: {
      invocations: [{ name: "one-lambda", memoryMb: oneLambdaMemoryMb, durationMs: p.warm.oneLambda.p50 }],
      s3: oneLambdaS3,
      httpApiRequests: 1,
    },
    oneLambdaCold: {
      invocations: [
        {
          name: "one-lambda",
          memoryMb: oneLambdaMemoryMb,
          durationMs: p.oneLambda.first.p50,
          initMs: p.oneLambda.init.p50,
        },
      ],
      s3: oneLambdaS3,
      httpApiRequests: 1,
    },
  };
  return SCENARIOS.map((scenario) => {
    const perThumbnail = thumbnailUsd(works[scenario]);
    return { scenario, work: works[scenario], perThumbnail, perMillion: perMillion(perThumbnail) };
  });
}
