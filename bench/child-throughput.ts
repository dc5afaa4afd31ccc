/**
 * Throughput child: the service started fresh in this process, then throughput.ts's measurement on
 * one input. Run apart from the latency phase so that its heap (after 10 MB PNGs and 24 MP JPEGs)
 * does not carry over into the figures: see bench/README.md, "garbage collection".
 */
import { benchConfig } from "./config";
import { childArgument, isRecord, reportResult } from "./child-process";
import { loadInput } from "./inputs";
import { startBenchService } from "./service";
import { measureThroughput } from "./throughput";

async function main(): Promise<void> {
  const arg = childArgument();
  if (!isRecord(arg) || typeof arg["input"] !== "string") throw new Error("child-throughput: bad argument");
  const config = benchConfig(); // the parent's environment, inherited
  const input = await loadInput(config.cacheDir, arg["input"]);
  const bench = await startBenchService();
  try {
    reportResult(await measureThroughput(config, input, bench));
  } finally {
    await bench.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
