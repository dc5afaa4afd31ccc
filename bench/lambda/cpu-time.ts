/**
 * CPU time a process has used, from the scheduler's per-thread accounting
 * (/proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU). CPU time over the CPU share is how long
 * a step takes when it gets exactly its share and waits on nothing else: the figure the machine's
 * load does not move. The CFS quota hands the share out in whole chunks per 100 ms period, so a
 * step of a period or two can finish sooner than that (it gets its chunks up front); a longer one
 * converges on it; one that takes far longer either waited on I/O or was denied its share by other
 * work on the machine.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface CpuTime {
  /** Every live thread (the main thread, V8's GC and compiler threads, libuv's pool). */
  totalMs: number;
  mainMs: number;
}

function threadMs(pid: number, tid: string): number {
  return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0] ?? Number.NaN) / 1e6;
}

/** CPU used so far by `pid`, or undefined where /proc cannot tell (the process is gone, not Linux). */
export function processCpu(pid: number): CpuTime | undefined {
  try {
    let totalMs = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) totalMs += threadMs(pid, tid);
    const mainMs = threadMs(pid, String(pid));
    return Number.isFinite(totalMs) && Number.isFinite(mainMs) ? { totalMs, mainMs } : undefined;
  } catch {
    return undefined;
  }
}

/** `cpu` at `vcpus`, in ms: the share's time, or the main thread's own CPU (JavaScript runs on one thread). */
export function cpuAtShareMs(cpu: CpuTime, vcpus: number): number {
  return Math.max(cpu.totalMs / vcpus, cpu.mainMs);
}

export function cpuSince(now: CpuTime, before: CpuTime): CpuTime {
  return { totalMs: now.totalMs - before.totalMs, mainMs: now.mainMs - before.mainMs };
}
