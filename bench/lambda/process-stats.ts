/**
 * What an environment's process has used, read from /proc by the bench (Linux only; undefined
 * elsewhere): CPU time from the scheduler's per-thread accounting (/proc/<pid>/task/<tid>/schedstat,
 * nanoseconds on a CPU), and the peak resident set of the process's own memory (VmHWM). The peak is
 * read here rather than taken from the REPORT because getrusage's maxRSS, which the environment
 * reports, carries over the parent's high-water mark through fork and exec: in a bench process of
 * ~500 MB every environment reports ~500 MB.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface CpuTime {
  /** Every live thread (the main thread, V8's GC and compiler threads, libuv's pool). */
  totalMs: number;
  /** The main thread: JavaScript's. */
  mainMs: number;
}

function threadMs(pid: number, tid: string): number {
  return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0] ?? Number.NaN) / 1e6;
}

export function processCpu(pid: number): CpuTime | undefined {
  try {
    let totalMs = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) totalMs += threadMs(pid, tid);
    const mainMs = threadMs(pid, String(pid));
    return Number.isFinite(totalMs) && Number.isFinite(mainMs) ? { totalMs, mainMs } : undefined;
  } catch {
    // The process (or a thread) is gone, or this is not Linux.
    return undefined;
  }
}

export function cpuSince(now: CpuTime, before: CpuTime): CpuTime {
  return { totalMs: now.totalMs - before.totalMs, mainMs: now.mainMs - before.mainMs };
}

/** The process's peak resident set so far, in MB (rounded up, as Lambda reports Max Memory Used). */
export function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb !== undefined ? Math.ceil(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
