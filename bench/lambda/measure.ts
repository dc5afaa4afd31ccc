/**
 * One function at one memory size, one cold run at a time: every environment reaped first (as a
 * long idle or a deploy would), a new one started (Init), its first invocation (first Duration),
 * then W warm invocations in it; reaped again after, so idle environments do not pile up. Callers
 * interleave runs of different functions and sizes, so a burst of load on the machine spreads over
 * all of them instead of landing on one. Durations are the REPORT figures (Init from the runtime's
 * own clock origin to handler loaded, Duration from event received to response); the bench adds
 * Init as it sees it from outside (spawn to ready), the CPU time Init used, and the environment's
 * peak memory (process-stats.ts).
 */
import { vcpusFor } from "../../local/lambda/cpu-share";
import type { FunctionPool } from "../../local/lambda/pool";
import { round1, summarize, type Summary } from "../stats";
import type { Workload } from "./events";
import { cpuSince, peakRssMb, processCpu, type CpuTime } from "./process-stats";

export interface ColdWarmRun {
  /** Init Duration as the REPORT gives it. */
  initMs: number;
  /** From starting the environment's process to its handler being loaded, seen from the bench. */
  spawnToReadyMs: number;
  firstMs: number;
  warmMs: number[];
  /** CPU time of Init and of the first invocation, where /proc tells. */
  initCpu?: CpuTime;
  firstCpu?: CpuTime;
  /** The environment's peak resident memory over Init and every invocation of the run. */
  peakRssMb?: number;
}

export interface ColdWarm {
  memoryMb: number;
  vcpus: number;
  init: Summary;
  spawnToReady: Summary;
  /** CPU milliseconds Init used (all threads). */
  initCpuMs: Summary;
  first: Summary;
  /** Init + first Duration: what a cold invocation costs in time and is billed for. */
  cold: Summary;
  /** Every warm invocation of every run. */
  warm: Summary;
  /** Peak resident memory of any environment (VmHWM), else the REPORT's Max Memory Used. */
  maxMemoryUsedMb: number;
  runs: ColdWarmRun[];
  /** Invocations that failed (a function error, a timeout, an environment that died). */
  errors: string[];
}

export interface MeasureOptions {
  runs: number;
  warmPerRun: number;
}

const roundCpu = (c: CpuTime): CpuTime => ({ totalMs: round1(c.totalMs), mainMs: round1(c.mainMs) });

export class ColdWarmRecorder {
  private readonly runs: ColdWarmRun[] = [];
  private readonly errors: string[] = [];
  private reportedMemoryMb = 0;

  constructor(
    private readonly pool: FunctionPool,
    private readonly memoryMb: number,
    private readonly workload: Workload,
    private readonly warmPerRun: number,
  ) {}

  private async invoke(): Promise<{ durationMs: number; initMs?: number } | undefined> {
    const outcome = await this.pool.invoke(this.workload.event());
    this.reportedMemoryMb = Math.max(this.reportedMemoryMb, outcome.maxMemoryMb);
    if (!outcome.ok) {
      this.errors.push(`${outcome.error?.errorType ?? "?"}: ${outcome.error?.errorMessage ?? ""}`.slice(0, 300));
      return undefined;
    }
    return {
      durationMs: outcome.durationMs,
      ...(outcome.initDurationMs !== undefined ? { initMs: outcome.initDurationMs } : {}),
    };
  }

  /** One cold run: a new environment, its first invocation, then the warm ones. */
  async run(): Promise<void> {
    await this.pool.reapAll();
    await this.workload.prepare?.();
    // Init runs ahead of the event (as Lambda's Init phase does), so its CPU time can be read apart.
    const started = performance.now();
    await this.pool.prewarm(1);
    const spawnToReadyMs = performance.now() - started;
    const pid = this.pool.stats().pids[0];
    const afterInit = pid !== undefined ? processCpu(pid) : undefined;
    const first = await this.invoke();
    const afterFirst = pid !== undefined ? processCpu(pid) : undefined;
    if (first?.initMs === undefined) {
      if (first) this.errors.push("the first invocation after reaping was not cold");
      await this.pool.reapAll();
      return;
    }
    const warmMs: number[] = [];
    for (let w = 0; w < this.warmPerRun; w++) {
      await this.workload.prepare?.();
      const warm = await this.invoke();
      if (warm && warm.initMs === undefined) warmMs.push(round1(warm.durationMs));
    }
    const peak = pid !== undefined ? peakRssMb(pid) : undefined;
    await this.pool.reapAll();
    this.runs.push({
      initMs: round1(first.initMs),
      spawnToReadyMs: round1(spawnToReadyMs),
      firstMs: round1(first.durationMs),
      warmMs,
      ...(afterInit ? { initCpu: roundCpu(afterInit) } : {}),
      ...(afterInit && afterFirst ? { firstCpu: roundCpu(cpuSince(afterFirst, afterInit)) } : {}),
      ...(peak !== undefined ? { peakRssMb: peak } : {}),
    });
  }

  result(): ColdWarm {
    const runs = this.runs;
    const peaks = runs.flatMap((r) => (r.peakRssMb !== undefined ? [r.peakRssMb] : []));
    return {
      memoryMb: this.memoryMb,
      vcpus: vcpusFor(this.memoryMb),
      init: summarize(runs.map((r) => r.initMs)),
      spawnToReady: summarize(runs.map((r) => r.spawnToReadyMs)),
      initCpuMs: summarize(runs.flatMap((r) => (r.initCpu ? [r.initCpu.totalMs] : []))),
      first: summarize(runs.map((r) => r.firstMs)),
      cold: summarize(runs.map((r) => r.initMs + r.firstMs)),
      warm: summarize(runs.flatMap((r) => r.warmMs)),
      maxMemoryUsedMb: peaks.length > 0 ? Math.max(...peaks) : this.reportedMemoryMb,
      runs,
      errors: [...this.errors],
    };
  }
}

/** R cold runs of one function back to back (the one-Lambda variant; the tables interleave). */
export async function measureColdWarm(
  pool: FunctionPool,
  memoryMb: number,
  workload: Workload,
  options: MeasureOptions,
): Promise<ColdWarm> {
  const recorder = new ColdWarmRecorder(pool, memoryMb, workload, options.warmPerRun);
  for (let r = 0; r < options.runs; r++) await recorder.run();
  return recorder.result();
}
