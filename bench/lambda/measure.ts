/**
 * One function at one memory size: R cold runs, each reaping every environment first (as a long
 * idle or a deploy would), so the run's first invocation starts a new environment (Init + first
 * Duration), then W warm invocations in that environment. Durations are Lambda's own REPORT
 * figures: Init from process start to handler loaded, Duration from event received to response.
 */
import { vcpusFor } from "../../local/lambda/cpu-share";
import type { FunctionPool } from "../../local/lambda/pool";
import { round1, summarize, type Summary } from "../stats";
import type { Workload } from "./events";

export interface ColdWarmRun {
  initMs: number;
  firstMs: number;
  warmMs: number[];
}

export interface ColdWarm {
  memoryMb: number;
  vcpus: number;
  init: Summary;
  first: Summary;
  /** Init + first Duration: what a cold invocation costs in time and is billed for. */
  cold: Summary;
  /** Every warm invocation of every run. */
  warm: Summary;
  maxMemoryUsedMb: number;
  runs: ColdWarmRun[];
  /** Invocations that failed (a function error, a timeout, an environment that died). */
  errors: string[];
}

export interface MeasureOptions {
  runs: number;
  warmPerRun: number;
}

export async function measureColdWarm(pool: FunctionPool, memoryMb: number, workload: Workload, options: MeasureOptions): Promise<ColdWarm> {
  const runs: ColdWarmRun[] = [];
  const errors: string[] = [];
  let maxMemoryUsedMb = 0;
  const invoke = async (): Promise<{ durationMs: number; initMs?: number } | undefined> => {
    await workload.prepare?.();
    const outcome = await pool.invoke(workload.event());
    maxMemoryUsedMb = Math.max(maxMemoryUsedMb, outcome.maxMemoryMb);
    if (!outcome.ok) {
      errors.push(`${outcome.error?.errorType ?? "?"}: ${outcome.error?.errorMessage ?? ""}`.slice(0, 300));
      return undefined;
    }
    return { durationMs: outcome.durationMs, ...(outcome.initDurationMs !== undefined ? { initMs: outcome.initDurationMs } : {}) };
  };
  for (let r = 0; r < options.runs; r++) {
    await pool.reapAll();
    const first = await invoke();
    if (first?.initMs === undefined) {
      if (first) errors.push("the first invocation after reaping was not cold");
      continue;
    }
    const warmMs: number[] = [];
    for (let w = 0; w < options.warmPerRun; w++) {
      const warm = await invoke();
      if (warm && warm.initMs === undefined) warmMs.push(warm.durationMs);
    }
    runs.push({ initMs: round1(first.initMs), firstMs: round1(first.durationMs), warmMs: warmMs.map(round1) });
  }
  await pool.reapAll();
  return {
    memoryMb,
    vcpus: vcpusFor(memoryMb),
    init: summarize(runs.map((r) => r.initMs)),
    first: summarize(runs.map((r) => r.firstMs)),
    cold: summarize(runs.map((r) => r.initMs + r.firstMs)),
    warm: summarize(runs.flatMap((r) => r.warmMs)),
    maxMemoryUsedMb,
    runs,
    errors,
  };
}
