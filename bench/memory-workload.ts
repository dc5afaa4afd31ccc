/**
 * The memory children's shared workload and readings: the same thumbnails, in the same order and
 * with the same number in flight, whether made by sharp alone or through the service.
 */
import { hasNumbers, isRecord } from "./child-process";

export interface MemoryArgs {
  cacheDir: string;
  inputs: string[];
  /** Passes over all inputs, two thumbnails in flight. */
  rounds: number;
  res: string;
  format: "jpeg";
  /** Service child only: sequential requests on inputs[0] for the steadiness series. */
  steadyRequests: number;
}

export function isMemoryArgs(v: unknown): v is MemoryArgs {
  return (
    isRecord(v) &&
    typeof v["cacheDir"] === "string" &&
    Array.isArray(v["inputs"]) &&
    v["inputs"].every((i) => typeof i === "string") &&
    hasNumbers(v, ["rounds", "steadyRequests"]) &&
    typeof v["res"] === "string" &&
    v["format"] === "jpeg"
  );
}

export interface MemoryReading {
  /** Requests (or thumbnails) done when read. */
  done: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
}

const MB = 1024 * 1024;

/** Current memory after a full GC when the child has --expose-gc (retained memory, not garbage). */
export function readMemory(done: number): MemoryReading {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { done, rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB, externalMB: m.external / MB };
}

/** Peak resident set size of this process so far (resourceUsage reports KiB). */
export const peakRssMB = (): number => (process.resourceUsage().maxRSS * 1024) / MB;

export interface MemoryResult {
  /** After loading modules and inputs (and starting the service), before any thumbnail. */
  baselineRssMB: number;
  peakRssMB: number;
  thumbnails: number;
  steady?: MemoryReading[];
}

export function isMemoryResult(v: unknown): v is MemoryResult {
  if (!isRecord(v) || !hasNumbers(v, ["baselineRssMB", "peakRssMB", "thumbnails"])) return false;
  const steady = v["steady"];
  return (
    steady === undefined ||
    (Array.isArray(steady) && steady.every((r) => hasNumbers(r, ["done", "rssMB", "heapUsedMB", "externalMB"])))
  );
}

/** Runs `make` for every input, `rounds` times, two at a time. */
export async function twoInFlight<I>(
  inputs: readonly I[],
  rounds: number,
  make: (input: I) => Promise<unknown>,
): Promise<number> {
  let done = 0;
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      await Promise.all([make(input), make(input)]);
      done += 2;
    }
  }
  return done;
}
