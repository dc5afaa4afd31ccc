/** Sampling this process's memory on a timer (peak RSS) or on demand (a series). */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface MemorySample {
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

export function sampleMemory(): MemorySample {
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external) };
}

/** Samples RSS every `intervalMs` until stopped; returns the peak and the series. */
export function watchPeakRss(intervalMs = 100): { stop(): { peakRssMb: number; samples: number } } {
  let peak = process.memoryUsage().rss;
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    samples++;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakRssMb: mb(Math.max(peak, process.memoryUsage().rss)), samples };
    },
  };
}

/**
 * A full garbage collection before a reading, so heapUsed is the live heap rather than wherever the
 * sawtooth happens to be. The flag can be set at run time; `gc` then exists in new contexts.
 */
export function fullGc(): () => void {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  if (typeof gc !== "function") throw new Error("could not expose the garbage collector");
  return () => {
    gc();
  };
}
