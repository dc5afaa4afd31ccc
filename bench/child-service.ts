/**
 * Memory child: the whole local service in this process, driven over HTTP with the workload of
 * memory-workload.ts, then a long run of sequential cache misses with memory read (after a full GC)
 * along the way, to show whether it stays flat.
 */
import { childArgument, reportResult } from "./child-process";
import { loadInputs } from "./inputs";
import {
  isMemoryArgs,
  peakRssMB,
  readMemory,
  twoInFlight,
  type MemoryReading,
  type MemoryResult,
} from "./memory-workload";
import { startBenchService } from "./service";

const READINGS = 10;

async function main(): Promise<void> {
  const args = childArgument();
  if (!isMemoryArgs(args)) throw new Error("child-service: bad argument");
  const inputs = await loadInputs(args.cacheDir, args.inputs);
  const bench = await startBenchService();
  try {
    for (const input of inputs) await bench.seed(input);
    const baseline = readMemory(0);
    const thumbnails = await twoInFlight(inputs, args.rounds, async (input) =>
      bench.thumbnail(await bench.freshCopy(input), args.res, args.format),
    );
    const peak = peakRssMB();
    const steady: MemoryReading[] = [];
    const primary = inputs[0];
    if (primary && args.steadyRequests > 0) {
      const every = Math.max(1, Math.floor(args.steadyRequests / READINGS));
      steady.push(readMemory(0));
      for (let i = 1; i <= args.steadyRequests; i++) {
        await bench.thumbnail(await bench.freshCopy(primary), args.res, args.format);
        if (i % every === 0 || i === args.steadyRequests) steady.push(readMemory(i));
      }
    }
    const result: MemoryResult = { baselineRssMB: baseline.rssMB, peakRssMB: peak, thumbnails, steady };
    reportResult(result);
  } finally {
    await bench.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
