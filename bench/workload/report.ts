/** Percentiles, the PASS/FAIL verdict, and the results file under bench/results/ (gitignored). */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of durations in ms (rounded to 0.1 ms). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const round = (v: number): number => Math.round(v * 10) / 10;
  return {
    count: sorted.length,
    p50: round(rank(0.5)),
    p99: round(rank(0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export interface Criterion {
  name: string;
  pass: boolean;
  detail: string;
}

/** Prints each criterion and one PASS/FAIL line; sets the exit code on FAIL. */
export function verdict(what: string, criteria: readonly Criterion[]): boolean {
  for (const c of criteria) console.log(`  [${c.pass ? "ok" : "FAIL"}] ${c.name}: ${c.detail}`);
  const pass = criteria.every((c) => c.pass);
  console.log(`${what}: ${pass ? "PASS" : "FAIL"}`);
  if (!pass) process.exitCode = 1;
  return pass;
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
export async function writeResults(name: string, results: unknown): Promise<string> {
  const dir = join(__dirname, "..", "results");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** Runs a command's main: a crash is a FAIL with a non-zero exit, like a failed criterion. */
export function runCommand(what: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    console.log(`${what}: FAIL`);
    process.exit(1);
  });
}
