/**
 * Throughput with 1 and 2 requests in flight, for sharp alone and for the service (cache misses on
 * fresh image names, made before the clock starts). Rounds alternate the order of the four
 * configurations; each configuration's rate is the median over rounds. run.ts runs it in a fresh
 * process (child-throughput.ts), sharp alone and the service side by side in it.
 */
import { hasNumbers, isRecord, runChild } from "./child-process";
import type { BenchConfig } from "./config";
import type { BenchInput } from "./inputs";
import type { BenchService } from "./service";
import { addStats, cpuPerOp, emptyStats, openWindow, type GcStats, type WindowStats } from "./runtime-stats";
import { summarize, type Summary } from "./stats";
import { sharpAlone, thumbnailOptions } from "./variants";

export const IN_FLIGHT = [1, 2] as const;

export interface ThroughputPoint {
  inFlight: number;
  /** Median over rounds of completed thumbnails per second. */
  opsPerSecond: number;
  perRound: number[];
  /** Per-thumbnail latency, all rounds together. */
  latency: Summary;
  /** CPU ms per thumbnail by thread group (Linux), all rounds together. */
  cpuPerThumbnailMs?: Record<string, number>;
  /** Garbage collections over all rounds. */
  gc: GcStats;
}

export interface ThroughputResult {
  input: string;
  opsPerRound: number;
  sharp: ThroughputPoint[];
  service: ThroughputPoint[];
}

/** Runs `jobs` with `inFlight` workers; returns the wall time and each job's time. */
async function runPool(
  inFlight: number,
  jobs: (() => Promise<unknown>)[],
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const t = performance.now();
      await job();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { seconds: (performance.now() - started) / 1000, latencies };
}

export async function measureThroughput(
  config: BenchConfig,
  input: BenchInput,
  bench: BenchService,
): Promise<ThroughputResult> {
  const options = thumbnailOptions(bench.service.config, config.res, config.format);
  const ops = config.throughputOps;
  type Kind = "sharp" | "service";
  const rates: Record<Kind, Map<number, number[]>> = { sharp: new Map(), service: new Map() };
  const latencies: Record<Kind, Map<number, number[]>> = { sharp: new Map(), service: new Map() };
  const stats: Record<Kind, Map<number, WindowStats>> = { sharp: new Map(), service: new Map() };
  await bench.seed(input);
  const configs: { kind: Kind; inFlight: number }[] = [];
  for (const inFlight of IN_FLIGHT) for (const kind of ["sharp", "service"] as const) configs.push({ kind, inFlight });
  // One untimed pass of each, so the first timed round starts warm.
  await sharpAlone(input.bytes, options);
  await bench.thumbnail(await bench.freshCopy(input), config.res, config.format);
  for (let round = 0; round < config.throughputRounds; round++) {
    const order = round % 2 === 0 ? configs : [...configs].reverse();
    for (const { kind, inFlight } of order) {
      let jobs: (() => Promise<unknown>)[];
      if (kind === "sharp") {
        jobs = Array.from({ length: ops }, () => () => sharpAlone(input.bytes, options));
      } else {
        const names: string[] = [];
        for (let i = 0; i < ops; i++) names.push(await bench.freshCopy(input));
        jobs = names.map((name) => () => bench.thumbnail(name, config.res, config.format));
      }
      const window = openWindow();
      const run = await runPool(inFlight, jobs);
      stats[kind].set(inFlight, addStats(stats[kind].get(inFlight) ?? emptyStats(), window.close()));
      rates[kind].set(inFlight, [...(rates[kind].get(inFlight) ?? []), ops / run.seconds]);
      latencies[kind].set(inFlight, [...(latencies[kind].get(inFlight) ?? []), ...run.latencies]);
    }
  }
  const points = (kind: Kind): ThroughputPoint[] =>
    IN_FLIGHT.map((inFlight) => {
      const perRound = rates[kind].get(inFlight) ?? [];
      const window = stats[kind].get(inFlight) ?? emptyStats();
      const point: ThroughputPoint = {
        inFlight,
        opsPerSecond: summarize(perRound).p50,
        perRound,
        latency: summarize(latencies[kind].get(inFlight) ?? []),
        gc: window.gc,
      };
      const cpu = cpuPerOp(window, perRound.length * ops);
      if (cpu) point.cpuPerThumbnailMs = cpu;
      return point;
    });
  return { input: input.name, opsPerRound: ops, sharp: points("sharp"), service: points("service") };
}

function isPoint(v: unknown): v is ThroughputPoint {
  return (
    isRecord(v) &&
    hasNumbers(v, ["inFlight", "opsPerSecond"]) &&
    isRecord(v["latency"]) &&
    isRecord(v["gc"]) &&
    Array.isArray(v["perRound"])
  );
}

function isThroughputResult(v: unknown): v is ThroughputResult {
  return (
    isRecord(v) &&
    typeof v["input"] === "string" &&
    Array.isArray(v["sharp"]) &&
    v["sharp"].every(isPoint) &&
    Array.isArray(v["service"]) &&
    v["service"].every(isPoint)
  );
}

/** measureThroughput in a fresh process with its own service (child-throughput.ts). */
export async function measureThroughputInChild(input: string): Promise<ThroughputResult> {
  const result = await runChild("child-throughput.ts", { input }, 900_000);
  if (!isThroughputResult(result)) throw new Error(`child-throughput reported ${JSON.stringify(result).slice(0, 500)}`);
  return result;
}
