/**
 * Peak memory of the service against sharp alone, each in its own process on the same workload
 * (memory-workload.ts), and the service's memory over a long run of requests.
 */
import { runChild } from "./child-process";
import { isMemoryResult, type MemoryArgs, type MemoryReading, type MemoryResult } from "./memory-workload";

export interface MemoryComparison {
  inputs: string[];
  rounds: number;
  sharp: MemoryResult;
  service: MemoryResult;
  /** service peak RSS / sharp peak RSS. */
  peakRatio: number;
  steadiness: Steadiness | undefined;
}

export interface Steadiness {
  requests: number;
  readings: MemoryReading[];
  /** RSS at the end minus RSS after the first quarter of the requests (warm by then), MB. */
  rssGrowthMB: number;
  /** The same for the V8 heap after a full GC (retained JS objects), MB. */
  heapGrowthMB: number;
}

function steadinessOf(readings: MemoryReading[] | undefined): Steadiness | undefined {
  if (!readings || readings.length < 2) return undefined;
  const last = readings.at(-1);
  const requests = last?.done ?? 0;
  const warm = readings.find((r) => r.done >= requests / 4) ?? readings[0];
  if (!last || !warm) return undefined;
  return { requests, readings, rssGrowthMB: last.rssMB - warm.rssMB, heapGrowthMB: last.heapUsedMB - warm.heapUsedMB };
}

export async function measureMemory(args: MemoryArgs): Promise<MemoryComparison> {
  const sharp = await runChild("child-sharp.ts", { ...args, steadyRequests: 0 }, 300_000);
  if (!isMemoryResult(sharp)) throw new Error(`child-sharp reported ${JSON.stringify(sharp)}`);
  const service = await runChild("child-service.ts", args, 900_000);
  if (!isMemoryResult(service)) throw new Error(`child-service reported ${JSON.stringify(service)}`);
  return {
    inputs: args.inputs,
    rounds: args.rounds,
    sharp,
    service,
    peakRatio: service.peakRssMB / sharp.peakRssMB,
    steadiness: steadinessOf(service.steady),
  };
}
