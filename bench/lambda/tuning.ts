/**
 * Power tuning: each function at several memory sizes (so several CPU shares), cold and warm, with
 * what a million invocations cost at each. The small functions from 128 MB to one full vCPU
 * (1769 MB); resize from 1024 to 3008 MB on the primary input. A cell at a function's default memory
 * is the per-function measurement (defaults.ts), not measured twice.
 */
import { CATALOG, FUNCTION_NAMES, entryOf, type FunctionName } from "../../infra/catalog";
import type { ServiceConfig } from "../../lambdas/shared/types";
import type { LocalLambda } from "../../local/lambda";
import { lambdaInvocationUsd } from "./cost";
import type { FunctionAtDefault } from "./defaults";
import type { Workload } from "./events";
import { startFunctions } from "./functions";
import { ColdWarmRecorder, type ColdWarm, type MeasureOptions } from "./measure";

/** Every function on the small memory size, from the catalog (a new one is tuned too). */
export const SMALL_FUNCTIONS: readonly FunctionName[] = CATALOG.filter((entry) => entry.memory === "small").map(
  (entry) => entry.name,
);

/** Memory sizes (MB) to measure: the small functions', and resize's (bench/config.ts). */
export interface TuningPlan {
  small: readonly number[];
  resize: readonly number[];
}

export interface TuningCell extends ColdWarm {
  name: FunctionName;
  /** The function's default memory: figures from the per-function measurement. */
  isDefault: boolean;
  /** Dollars per million invocations at the p50 durations: warm, and cold (Init + first Duration billed). */
  usdPerMillionWarm: number;
  usdPerMillionCold: number;
}

function priced(name: FunctionName, figures: ColdWarm, isDefault: boolean): TuningCell {
  const million = (c: { compute: number; request: number }): number => (c.compute + c.request) * 1e6;
  const { memoryMb, vcpus, init, spawnToReady, initCpuMs, first, cold, warm, maxMemoryUsedMb, runs, errors } = figures;
  return {
    name,
    isDefault,
    ...{ memoryMb, vcpus, init, spawnToReady, initCpuMs, first, cold, warm, maxMemoryUsedMb, runs, errors },
    usdPerMillionWarm: million(lambdaInvocationUsd({ memoryMb: figures.memoryMb, durationMs: figures.warm.p50 })),
    usdPerMillionCold: million(
      lambdaInvocationUsd({ memoryMb: figures.memoryMb, durationMs: figures.first.p50, initMs: figures.init.p50 }),
    ),
  };
}

export interface TuningOptions extends MeasureOptions {
  plan: TuningPlan;
  config: ServiceConfig;
  bundleDir: string;
  work: Record<FunctionName, Workload>;
  defaults: readonly FunctionAtDefault[];
  progress: (message: string) => void;
}

export async function measureTuning(o: TuningOptions): Promise<TuningCell[]> {
  const sizesOf = (name: FunctionName): readonly number[] =>
    entryOf(name).memory === "resize" ? o.plan.resize : o.plan.small;
  const names: FunctionName[] = [...FUNCTION_NAMES];
  const measuredAlready = (name: FunctionName, memoryMb: number): boolean =>
    o.defaults.some((d) => d.name === name && d.memoryMb === memoryMb);
  // One local Lambda service per memory size (a function's pool has one memory, as on Lambda);
  // environments exist only while a run uses them, so all of them can be open at once.
  const sizes = [...new Set([...o.plan.small, ...o.plan.resize])].sort((a, b) => a - b);
  const services: LocalLambda[] = [];
  const cells: { name: FunctionName; recorder: ColdWarmRecorder }[] = [];
  try {
    for (const memoryMb of sizes) {
      const due = names.filter((n) => sizesOf(n).includes(memoryMb) && !measuredAlready(n, memoryMb));
      if (due.length === 0) continue;
      const lambda = await startFunctions(o.config, o.bundleDir, () => memoryMb);
      services.push(lambda);
      for (const name of due)
        cells.push({ name, recorder: new ColdWarmRecorder(lambda.pool(name), memoryMb, o.work[name], o.warmPerRun) });
    }
    // Run r of every cell, then run r + 1: the machine's load spreads over every size alike.
    for (let r = 0; r < o.runs; r++) {
      o.progress(`  tuning run ${r + 1} of ${o.runs}: ${cells.length} cells`);
      for (const { recorder } of cells) await recorder.run();
    }
  } finally {
    await Promise.all(services.map((s) => s.close()));
  }
  const out = cells.map(({ name, recorder }) => priced(name, recorder.result(), false));
  for (const d of o.defaults) {
    if (names.includes(d.name) && sizesOf(d.name).includes(d.memoryMb)) out.push(priced(d.name, d, true));
  }
  const order = (c: TuningCell): number => names.indexOf(c.name) * 100_000 + c.memoryMb;
  return out.sort((a, b) => order(a) - order(b));
}
