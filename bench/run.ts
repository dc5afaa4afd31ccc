/**
 * npm run bench: the service against sharp alone and the one-Lambda design, interleaved on the same
 * inputs, plus throughput, connection reuse, peak memory, cold start, bundle sizes,
 * and every function at Lambda's CPU share (bench/lambda/: cold and warm, power tuning, cost per
 * million); prints tables with the targets' PASS/MISS and writes the JSON to bench/results/.
 * BENCH_QUICK=1 runs a smoke version (see config.ts). Exit code 0 even when a target is missed: a
 * MISS is a finding, not a crash.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import v8 from "node:v8";
import sharp from "sharp";
import { measureBundles } from "./bundles";
import { measureColdStart } from "./cold";
import { PROJECT_ROOT, benchConfig, type BenchConfig, type Phase } from "./config";
import { measureFitCost, printFitCost } from "./fit-cost";
import { loadInputs, type BenchInput } from "./inputs";
import { measureLambdaPhase } from "./lambda/phase";
import { measureLatency } from "./latency";
import { measureMemory } from "./memory";
import { printReport, writeResult, type BenchResult, type Environment } from "./report";
import { measureReuse } from "./reuse";
import { openWindow } from "./runtime-stats";
import { startBenchService } from "./service";
import { measureStorage } from "./storage";
import { judge, type Judged, type Verdict } from "./targets";
import { measureThroughputInChild } from "./throughput";
import { sharpAlone, thumbnailOptions } from "./variants";

const progress = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

function environment(loadAtStart: number): Environment {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: PROJECT_ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout: the figures stand without it
  }
  return {
    node: process.version,
    vips: sharp.versions.vips,
    sharp: sharp.versions.sharp ?? "unknown",
    sharpConcurrency: sharp.concurrency(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    loadAtStart,
    loadAtEnd: os.loadavg()[0] ?? Number.NaN,
    commit,
    nodeFlags: [
      ...process.execArgv.filter(
        (a) => !/^--(require|import|loader|experimental-loader)\b/.test(a) && !a.includes("tsx"),
      ),
      process.env["NODE_OPTIONS"] ?? "",
    ]
      .join(" ")
      .trim(),
    newSpaceMB: (v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0) / 1024 / 1024,
  };
}

async function serviceSide(
  config: BenchConfig,
  inputs: BenchInput[],
  primary: BenchInput,
): Promise<Partial<BenchResult>> {
  const bench = await startBenchService();
  const on = (phase: Phase): boolean => config.phases.has(phase);
  try {
    const out: Partial<BenchResult> = {};
    if (on("latency")) {
      progress(
        `latency: ${config.warmup} warm-up + ${config.samples} samples on ${inputs.map((i) => i.name).join(", ")}`,
      );
      const window = openWindow();
      out.latency = await measureLatency(config, inputs, bench, (input, i, total) => {
        if (i === total) progress(`  ${input}: ${total} iterations`);
      });
      out.latencyGc = window.close().gc;
    }
    if (on("storage")) {
      progress("storage: raw s3rver against the gate");
      const options = thumbnailOptions(bench.service.config, config.res, config.format);
      const thumbnail = await sharpAlone(primary.bytes, options);
      out.storage = await measureStorage(bench, primary.bytes, thumbnail.data, config.storageOps);
    }
    if (on("throughput")) {
      progress("throughput: 1 and 2 in flight, in a fresh process");
      out.throughput = await measureThroughputInChild(primary.name);
    }
    if (on("reuse")) {
      progress("connection reuse");
      out.reuse = await measureReuse(
        bench,
        primary,
        Math.max(5, Math.min(30, config.samples)),
        config.res,
        config.format,
      );
    }
    return out;
  } finally {
    await bench.close();
  }
}

/** The lambda phase's targets join the run's own. */
function withLambdaVerdicts(judged: Judged, extra: readonly Verdict[]): Judged {
  const verdicts = [...judged.verdicts, ...extra];
  return { verdicts, allTargetsPass: verdicts.filter((v) => v.kind === "target").every((v) => v.pass) };
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? Number.NaN;
  const startedAt = new Date().toISOString();
  const config = benchConfig();
  process.env["LOG_LEVEL"] ??= "silent"; // handler logs are one JSON line per task: not what is measured
  progress(`inputs (cached under ${config.cacheDir})`);
  const inputs = await loadInputs(config.cacheDir, config.inputs);
  const primary = inputs.find((i) => i.name === config.primaryInput);
  if (!primary) throw new Error(`primary input ${config.primaryInput} is not among the inputs`);

  const on = (phase: Phase): boolean => config.phases.has(phase);
  let bundles;
  if (on("bundles")) {
    progress("bundles");
    bundles = await measureBundles();
  }
  const service = await serviceSide(config, inputs, primary);
  let memory;
  if (on("memory")) {
    progress("memory: sharp alone and the service, each in its own process");
    memory = await measureMemory({
      cacheDir: config.cacheDir,
      inputs: config.inputs,
      rounds: config.quick ? 1 : 3,
      res: config.res,
      format: config.format,
      steadyRequests: config.memoryRequests,
    });
  }
  let cold;
  if (on("cold")) {
    progress(`cold start: ${config.coldRuns} fresh process(es)`);
    cold = await measureColdStart(primary, config.coldRuns, config.res, config.format);
  }
  let lambda;
  if (on("lambda")) {
    progress("lambda: every function in its own environments at memory/1769 of a vCPU");
    lambda = await measureLambdaPhase({
      config: config.lambda,
      input: primary,
      res: config.res,
      format: config.format,
      progress,
    });
  }

  const result: BenchResult = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: config.quick,
    environment: environment(loadAtStart),
    settings: {
      inputs: config.inputs,
      primaryInput: config.primaryInput,
      warmup: config.warmup,
      samples: config.samples,
      res: config.res,
      format: config.format,
    },
    latency: service.latency ?? [],
    ...service,
    ...(memory ? { memory } : {}),
    ...(cold ? { cold } : {}),
    ...(bundles ? { bundles } : {}),
    ...(lambda ? { lambda } : {}),
    judged: withLambdaVerdicts(
      judge({
        primaryInput: config.primaryInput,
        latency: service.latency ?? [],
        ...service,
        ...(memory ? { memory } : {}),
      }),
      lambda?.verdicts ?? [],
    ),
  };
  printReport(result);
  printFitCost(await measureFitCost(primary, config));
  const file = await writeResult(config.resultsDir, result);
  progress(`results written to ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
