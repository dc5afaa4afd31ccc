/** Memory child: sharp alone (makeThumbnail on bytes in memory), the workload of memory-workload.ts. */
import { makeThumbnail } from "../lambdas/resize/image";
import { CONFIG_DEFAULTS } from "../lambdas/shared/config";
import { parseRes } from "../lambdas/shared/keys";
import { childArgument, reportResult } from "./child-process";
import { loadInputs } from "./inputs";
import { isMemoryArgs, peakRssMB, readMemory, twoInFlight, type MemoryResult } from "./memory-workload";

async function main(): Promise<void> {
  const args = childArgument();
  if (!isMemoryArgs(args)) throw new Error("child-sharp: bad argument");
  const inputs = await loadInputs(args.cacheDir, args.inputs);
  const { width, height } = parseRes(args.res);
  const options = {
    width,
    height,
    format: args.format,
    maxInputPixels: CONFIG_DEFAULTS.maxInputPixels,
    timeoutSeconds: CONFIG_DEFAULTS.processingTimeoutSeconds,
  };
  const baseline = readMemory(0);
  const thumbnails = await twoInFlight(inputs, args.rounds, (input) => makeThumbnail(input.bytes, options));
  const result: MemoryResult = { baselineRssMB: baseline.rssMB, peakRssMB: peakRssMB(), thumbnails };
  reportResult(result);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
