/**
 * What a crop and a placeholder cost per thumbnail, next to the inside fit: sharp alone on the bytes
 * in memory (no storage, no workflow), with the resize step's options, one 256x256 JPEG per call.
 *
 *   inside             makeThumbnail's pipeline without the placeholder: the thumbnail as before issue 13
 *   cover attention    the same, fit=cover with sharp's attention strategy (the default crop)
 *   cover entropy      fit=cover with the entropy strategy
 *   cover center       fit=cover from the centre: the crop alone, no strategy analysis
 *   inside+placeholder makeThumbnail as the service runs it for fit=inside: thumbnail and placeholder
 *
 * Interleaved: each iteration runs every variant once, in an order rotated by the iteration number, so
 * machine noise and order effects hit all alike. The placeholder's cost is also given as the median
 * of per-iteration differences (inside+placeholder minus inside, measured moments apart).
 *
 * `npm run bench:fit` runs it alone on the 12 MP JPEG (BENCH_INPUTS picks another input, BENCH_SAMPLES
 * and BENCH_WARMUP the counts, BENCH_QUICK=1 a smoke run) and writes bench/results/fit-cost-latest.json;
 * `npm run bench` runs it on its primary input after everything else.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeThumbnail, makeThumbnailWithoutPlaceholder, type ThumbnailOptions } from "../lambdas/resize/image";
import { CONFIG_DEFAULTS } from "../lambdas/shared/config";
import { parseRes } from "../lambdas/shared/keys";
import { benchConfig } from "./config";
import { loadInput, type BenchInput } from "./inputs";
import { round1, round2, summarize, type Summary } from "./stats";
import { timed } from "./variants";

export const FIT_VARIANTS = ["inside", "coverAttention", "coverEntropy", "coverCenter", "insidePlaceholder"] as const;
export type FitVariant = (typeof FIT_VARIANTS)[number];

const LABELS: Record<FitVariant, string> = {
  inside: "inside",
  coverAttention: "cover, attention",
  coverEntropy: "cover, entropy",
  coverCenter: "cover, center",
  insidePlaceholder: "inside + placeholder",
};

export interface FitCostResult {
  input: string;
  description: string;
  warmup: number;
  samples: number;
  variants: Record<FitVariant, Summary>;
  /** p50 of each variant over p50 of inside. */
  ratios: Record<FitVariant, number>;
  /** Per-iteration (inside+placeholder) - (inside), ms. */
  placeholderOverhead: Summary;
  /** Characters of the placeholder data: URI made for this input. */
  placeholderLength: number;
}

interface Settings {
  warmup: number;
  samples: number;
  res: string;
}

/** The options Resize passes for fit=inside, with the default configuration's limits. */
function insideOptions(res: string): ThumbnailOptions {
  const { width, height } = parseRes(res);
  return {
    width,
    height,
    format: "jpeg",
    maxInputPixels: CONFIG_DEFAULTS.maxInputPixels,
    timeoutSeconds: CONFIG_DEFAULTS.processingTimeoutSeconds,
  };
}

function variantRunners(bytes: Buffer, res: string): Record<FitVariant, () => Promise<unknown>> {
  const base = insideOptions(res);
  const cover = (position: "attention" | "entropy" | "center"): ThumbnailOptions => ({
    ...base,
    fit: "cover",
    position,
  });
  return {
    inside: () => makeThumbnailWithoutPlaceholder(bytes, base),
    coverAttention: () => makeThumbnailWithoutPlaceholder(bytes, cover("attention")),
    coverEntropy: () => makeThumbnailWithoutPlaceholder(bytes, cover("entropy")),
    coverCenter: () => makeThumbnailWithoutPlaceholder(bytes, cover("center")),
    insidePlaceholder: () => makeThumbnail(bytes, base),
  };
}

export async function measureFitCost(input: BenchInput, settings: Settings): Promise<FitCostResult> {
  const run = variantRunners(input.bytes, settings.res);
  const samples = Object.fromEntries(FIT_VARIANTS.map((v) => [v, [] as number[]])) as Record<FitVariant, number[]>;
  const differences: number[] = [];
  for (let i = 0; i < settings.warmup + settings.samples; i++) {
    const order = FIT_VARIANTS.map((_, k) => FIT_VARIANTS[(i + k) % FIT_VARIANTS.length] ?? "inside");
    const took: Partial<Record<FitVariant, number>> = {};
    for (const variant of order) took[variant] = (await timed(run[variant])).ms;
    if (i < settings.warmup) continue;
    for (const variant of FIT_VARIANTS) samples[variant].push(took[variant] ?? Number.NaN);
    differences.push((took.insidePlaceholder ?? Number.NaN) - (took.inside ?? Number.NaN));
  }
  const variants = Object.fromEntries(FIT_VARIANTS.map((v) => [v, summarize(samples[v])])) as Record<
    FitVariant,
    Summary
  >;
  const ratios = Object.fromEntries(
    FIT_VARIANTS.map((v) => [v, round2(variants[v].p50 / variants.inside.p50)]),
  ) as Record<FitVariant, number>;
  const { placeholder } = await makeThumbnail(input.bytes, insideOptions(settings.res));
  return {
    input: input.name,
    description: input.description,
    warmup: settings.warmup,
    samples: settings.samples,
    variants,
    ratios,
    placeholderOverhead: summarize(differences),
    placeholderLength: placeholder.length,
  };
}

export function printFitCost(r: FitCostResult, out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): void {
  out(
    `\nCost of fit and placeholder, sharp alone, ${r.description} -> 256x256 JPEG; ms p50 / p95 (${r.samples} interleaved samples)`,
  );
  out("| variant | p50 / p95 | / inside |");
  out("| --- | ---: | ---: |");
  for (const v of FIT_VARIANTS)
    out(`| ${LABELS[v]} | ${round1(r.variants[v].p50)} / ${round1(r.variants[v].p95)} | ${r.ratios[v].toFixed(2)} |`);
  const o = r.placeholderOverhead;
  out(
    `placeholder: +${round1(o.p50)} ms p50 per thumbnail (paired, p95 ${round1(o.p95)}); its data: URI is ${r.placeholderLength} characters`,
  );
}

async function main(): Promise<void> {
  const config = benchConfig();
  process.env["LOG_LEVEL"] ??= "silent";
  const name = (process.env["BENCH_INPUTS"] ?? "").split(",")[0]?.trim() || "jpeg-12mp";
  const input = await loadInput(config.cacheDir, name);
  const result = await measureFitCost(input, { warmup: config.warmup, samples: config.samples, res: config.res });
  printFitCost(result);
  await mkdir(config.resultsDir, { recursive: true });
  const file = path.join(config.resultsDir, "fit-cost-latest.json");
  await writeFile(
    file,
    `${JSON.stringify({ finishedAt: new Date().toISOString(), quick: config.quick, ...result }, null, 2)}\n`,
  );
  process.stderr.write(`[bench:fit] results written to ${file}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
