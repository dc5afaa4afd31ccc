/**
 * The latency phase: every variant on every input, interleaved. Inputs are measured one after the
 * other; each iteration runs the input's variants once, in an order rotated by the iteration number,
 * so that machine noise (other processes, GC, page cache, CPU frequency) and order effects (a GET
 * just before a decode) hit every variant alike. Fresh image names are made before the timed calls.
 * Each input's warm-up iterations are discarded.
 */
import { createS3Client } from "../lambdas/shared/s3-client";
import type { BenchConfig } from "./config";
import type { BenchInput } from "./inputs";
import type { BenchService } from "./service";
import { openWindow, type GcStats } from "./runtime-stats";
import { summarize, type Summary } from "./stats";
import { VARIANTS, oneLambda, sharpAlone, sharpFullDecode, thumbnailOptions, timed, type VariantId } from "./variants";

/** Per-state durations of the cache-miss executions, from the local Step Functions' execution log. */
export interface StateBreakdown {
  /** Median ms per state (the log's clock has 1 ms resolution). */
  states: Record<string, number>;
  /** Median ms of the execution as a whole (StartSyncExecution inside the local engine). */
  execution: number;
  /** Median ms of the request outside the execution: HTTP to the app, the API handler, the SFN client and server. */
  outsideExecution: number;
}

export interface InputLatency {
  input: string;
  description: string;
  bytes: number;
  shrinkOnLoad: boolean;
  minShrinkGain?: number;
  thumbnail: { width: number; height: number };
  variants: Partial<Record<VariantId, Summary>>;
  samples: Partial<Record<VariantId, number[]>>;
  breakdown: StateBreakdown;
  /** Garbage collections during this input's iterations (warm-up included). */
  gc: GcStats;
}

interface Step {
  run(): Promise<void>;
}

/** One input's samples as they are collected. */
interface Collected {
  input: BenchInput;
  samples: Partial<Record<VariantId, number[]>>;
  states: Record<string, number[]>;
  executions: number[];
  outside: number[];
  thumbnail: { width: number; height: number };
  gc?: GcStats;
}

const median = (values: number[]): number => summarize(values).p50;

export async function measureLatency(
  config: BenchConfig,
  inputs: readonly BenchInput[],
  bench: BenchService,
  onIteration?: (input: string, i: number, total: number) => void,
): Promise<InputLatency[]> {
  const serviceConfig = bench.service.config;
  const options = thumbnailOptions(serviceConfig, config.res, config.format);
  // (b) runs with its own client, configured exactly as the handlers' (lambdas/shared/s3-client.ts).
  const lambdaS3 = createS3Client(serviceConfig, bench.service.credentials);
  const results = inputs.map((input): Collected => ({
    input,
    samples: {},
    states: {},
    executions: [],
    outside: [],
    thumbnail: { width: 0, height: 0 },
  }));
  const total = config.warmup + config.samples;
  try {
    for (const input of inputs) await bench.seed(input);
    // One input at a time (its own warm-up), its variants interleaved: a 10 MB PNG's allocations
    // (and the garbage collections they bring) then do not land in the 12 MP JPEG's figures.
    for (const r of results) {
      const window = openWindow();
      for (let i = 0; i < total; i++) {
        const keep = i >= config.warmup;
        const { input } = r;
        const record = (variant: VariantId, ms: number): void => {
          if (keep) (r.samples[variant] ??= []).push(ms);
        };
        const forB = await bench.freshCopy(input);
        const forC = await bench.freshCopy(input);
        const steps: Step[] = [
          { run: async () => record("sharp", (await timed(() => sharpAlone(input.bytes, options))).ms) },
          {
            run: async () =>
              record("oneLambda", (await timed(() => oneLambda(lambdaS3, serviceConfig, forB, options))).ms),
          },
          {
            run: async () => {
              const miss = await bench.thumbnail(forC, config.res, config.format);
              if (miss.cached) throw new Error(`expected a cache miss for ${forC}`);
              const hit = await bench.thumbnail(forC, config.res, config.format);
              if (!hit.cached) throw new Error(`expected a cache hit for ${forC}`);
              record("serviceMiss", miss.ms);
              record("serviceHit", hit.ms);
              r.thumbnail = { width: miss.width, height: miss.height };
              const log = bench.service.sfn.getExecutionLog(miss.requestId);
              if (keep && log) {
                const execution = Date.parse(log.stopDate) - Date.parse(log.startDate);
                r.executions.push(execution);
                r.outside.push(miss.ms - execution);
                for (const s of log.states) (r.states[s.state] ??= []).push(s.durationMs);
              }
            },
          },
        ];
        if (input.shrinkOnLoad) {
          steps.push({
            run: async () => record("sharpFull", (await timed(() => sharpFullDecode(input.bytes, options))).ms),
          });
        }
        // Rotate the order per iteration: each variant runs first, second, ... equally often.
        for (let k = 0; k < steps.length; k++) {
          const step = steps[(i + k) % steps.length];
          if (step) await step.run();
        }
        onIteration?.(r.input.name, i + 1, total);
      }
      r.gc = window.close().gc;
    }
  } finally {
    lambdaS3.destroy();
  }
  return results.map((r) => {
    const variants: Partial<Record<VariantId, Summary>> = {};
    for (const variant of VARIANTS) {
      const values = r.samples[variant];
      if (values) variants[variant] = summarize(values);
    }
    const states: Record<string, number> = {};
    for (const [state, values] of Object.entries(r.states)) states[state] = median(values);
    return {
      input: r.input.name,
      description: r.input.description,
      bytes: r.input.bytes.length,
      shrinkOnLoad: r.input.shrinkOnLoad,
      ...(r.input.minShrinkGain !== undefined ? { minShrinkGain: r.input.minShrinkGain } : {}),
      thumbnail: r.thumbnail,
      variants,
      samples: r.samples,
      breakdown: { states, execution: median(r.executions), outsideExecution: median(r.outside) },
      gc: r.gc ?? { major: 0, minor: 0, pauseMs: 0 },
    };
  });
}
