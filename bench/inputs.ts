/**
 * The benchmark's source images, built with the test fixtures (deterministic, photo-like noise) and
 * cached under bench/.cache/ so repeated runs (and the child processes) read bytes instead of
 * spending seconds rebuilding 24 MP of pixels. A cache file's name carries the recipe's version:
 * change a recipe, bump VERSION.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { jpeg, png, progressiveJpeg, webp } from "../test/fixtures/images";

const VERSION = 1;

export interface InputSpec {
  name: string;
  /** What it is, for the table. */
  description: string;
  ext: "jpg" | "png" | "webp";
  contentType: string;
  /** JPEG and WebP decoders can shrink on load (DCT scaling, libwebp scaled decode); PNG cannot. */
  shrinkOnLoad: boolean;
  /**
   * The least (a0)/(a) that shows shrink-on-load at work. Baseline JPEG skips most of the IDCT and
   * colour work (~1.5x here); a progressive JPEG must still entropy-decode every scan at full size,
   * and libwebp decodes VP8 at full size and scales while converting, so their gains are small.
   */
  minShrinkGain?: number;
  build(): Promise<Buffer>;
}

export interface BenchInput extends InputSpec {
  bytes: Buffer;
}

export const INPUT_SPECS: readonly InputSpec[] = [
  {
    name: "jpeg-12mp",
    description: "baseline JPEG 4000x3000",
    ext: "jpg",
    contentType: "image/jpeg",
    shrinkOnLoad: true,
    minShrinkGain: 1.3,
    build: () => jpeg(4000, 3000),
  },
  {
    name: "jpeg-24mp",
    description: "baseline JPEG 6000x4000",
    ext: "jpg",
    contentType: "image/jpeg",
    shrinkOnLoad: true,
    minShrinkGain: 1.3,
    build: () => jpeg(6000, 4000),
  },
  {
    name: "jpeg-progressive-12mp",
    description: "progressive JPEG 4000x3000",
    ext: "jpg",
    contentType: "image/jpeg",
    shrinkOnLoad: true,
    minShrinkGain: 1.02,
    build: () => progressiveJpeg(4000, 3000),
  },
  {
    name: "png-4mp",
    description: "PNG 2400x1800 (RGB)",
    ext: "png",
    contentType: "image/png",
    shrinkOnLoad: false,
    build: () => png(2400, 1800),
  },
  {
    name: "webp-12mp",
    description: "lossy WebP 4000x3000",
    ext: "webp",
    contentType: "image/webp",
    shrinkOnLoad: true,
    minShrinkGain: 1.1,
    build: () => webp(4000, 3000),
  },
  // Small and quick to build: the smoke test runs on it.
  {
    name: "jpeg-small",
    description: "baseline JPEG 640x480",
    ext: "jpg",
    contentType: "image/jpeg",
    shrinkOnLoad: true,
    build: () => jpeg(640, 480),
  },
];

export function inputSpec(name: string): InputSpec {
  const spec = INPUT_SPECS.find((s) => s.name === name);
  if (!spec) throw new RangeError(`unknown input '${name}'; known: ${INPUT_SPECS.map((s) => s.name).join(", ")}`);
  return spec;
}

export function cachePath(cacheDir: string, spec: InputSpec): string {
  return path.join(cacheDir, `${spec.name}.v${VERSION}.${spec.ext}`);
}

/** The input's bytes, from the cache or built (and cached; written via a temp name so a crash leaves no half file). */
export async function loadInput(cacheDir: string, name: string): Promise<BenchInput> {
  const spec = inputSpec(name);
  const file = cachePath(cacheDir, spec);
  if (existsSync(file)) return { ...spec, bytes: await readFile(file) };
  const bytes = await spec.build();
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return { ...spec, bytes };
}

export async function loadInputs(cacheDir: string, names: readonly string[]): Promise<BenchInput[]> {
  const out: BenchInput[] = [];
  for (const name of names) out.push(await loadInput(cacheDir, name));
  return out;
}
