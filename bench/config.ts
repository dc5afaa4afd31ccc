/**
 * What one run does, from the environment: BENCH_QUICK=1 is the smoke run (few samples, one cold
 * start, short memory series, one cold run per function at Lambda's CPU share), BENCH_INPUTS=a,b
 * picks inputs by name, BENCH_PHASES=a,b picks phases, BENCH_RESULTS_DIR moves the JSON (the smoke
 * test writes to a temp dir). Every count can be overridden for experiments.
 */
import path from "node:path";

export const PHASES = ["bundles", "latency", "storage", "throughput", "reuse", "memory", "cold", "lambda"] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchConfig {
  quick: boolean;
  phases: ReadonlySet<Phase>;
  /** Input names (inputs.ts) measured by the latency phase, in order. */
  inputs: string[];
  /** The input the targets, throughput, memory and cold start are measured on. */
  primaryInput: string;
  warmup: number;
  samples: number;
  /** Requests per in-flight level and round in the throughput phase, and the number of rounds. */
  throughputOps: number;
  throughputRounds: number;
  /** Requests the memory child makes through the service (RSS is sampled along the way). */
  memoryRequests: number;
  /** Fresh processes for the cold-start measurement. */
  coldRuns: number;
  /** Requests per S3 operation in the raw-vs-gated storage comparison. */
  storageOps: number;
  resultsDir: string;
  cacheDir: string;
  /** The lambda phase: every function in its own environments at its memory's CPU share (bench/lambda/). */
  lambda: LambdaPhaseConfig;
  /** The thumbnail every variant makes (an allowlisted resolution and format of the service). */
  res: string;
  format: "jpeg";
}

export interface LambdaPhaseConfig {
  /** Cold runs per function at its default memory, and of the fully cold GET /thumbnail. */
  coldRuns: number;
  /** Warm invocations after each cold one. */
  warmPerRun: number;
  /** Warm GET /thumbnail samples per variant (isolated, in-process, one Lambda). */
  pathSamples: number;
  /** Cold runs and warm invocations per run for each power-tuning cell. */
  tuningRuns: number;
  tuningWarmPerRun: number;
  /** Memory sizes (MB) of the power-tuning table: the small functions, and resize. */
  tuningSmallMb: number[];
  tuningResizeMb: number[];
}

export const BENCH_DIR = __dirname;
export const PROJECT_ROOT = path.resolve(__dirname, "..");

const DEFAULT_INPUTS = ["jpeg-12mp", "jpeg-24mp", "jpeg-progressive-12mp", "png-4mp", "webp-12mp"];

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number, got '${raw}'`);
  return n;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env["BENCH_QUICK"] === "1";
  const inputs = (env["BENCH_INPUTS"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const chosen = inputs.length > 0 ? inputs : DEFAULT_INPUTS;
  const phaseNames = (env["BENCH_PHASES"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const phases = new Set<Phase>();
  for (const name of phaseNames.length > 0 ? phaseNames : PHASES) {
    const phase = PHASES.find((p) => p === name);
    if (!phase) throw new RangeError(`unknown phase '${name}'; known: ${PHASES.join(", ")}`);
    phases.add(phase);
  }
  return {
    quick,
    phases,
    inputs: chosen,
    primaryInput: chosen[0] ?? "jpeg-12mp",
    warmup: count(env, "BENCH_WARMUP", quick ? 1 : 5),
    samples: count(env, "BENCH_SAMPLES", quick ? 3 : 40),
    throughputOps: count(env, "BENCH_THROUGHPUT_OPS", quick ? 4 : 24),
    throughputRounds: count(env, "BENCH_THROUGHPUT_ROUNDS", quick ? 1 : 3),
    memoryRequests: count(env, "BENCH_MEMORY_REQUESTS", quick ? 10 : 150),
    coldRuns: count(env, "BENCH_COLD_RUNS", quick ? 1 : 3),
    storageOps: count(env, "BENCH_STORAGE_OPS", quick ? 5 : 60),
    lambda: {
      coldRuns: count(env, "BENCH_LAMBDA_RUNS", quick ? 1 : 5),
      warmPerRun: count(env, "BENCH_LAMBDA_WARM", quick ? 1 : 3),
      pathSamples: count(env, "BENCH_LAMBDA_SAMPLES", quick ? 1 : 10),
      tuningRuns: count(env, "BENCH_TUNING_RUNS", quick ? 1 : 3),
      tuningWarmPerRun: count(env, "BENCH_TUNING_WARM", quick ? 1 : 3),
      // The smoke run tunes at one size each, the fastest (resize's is its default, measured already).
      tuningSmallMb: quick ? [1769] : [128, 256, 512, 1024, 1769],
      tuningResizeMb: quick ? [3008] : [1024, 1536, 2048, 3008],
    },
    resultsDir: env["BENCH_RESULTS_DIR"] ?? path.join(BENCH_DIR, "results"),
    cacheDir: env["BENCH_CACHE_DIR"] ?? path.join(BENCH_DIR, ".cache"),
    res: "256x256",
    format: "jpeg",
  };
}
