/**
 * Size of each Lambda's code as deployed: esbuild with the options of infra/bundle.ts's
 * bundleFunction (one minified CommonJS file for node22, ESM builds of dependencies first, sharp
 * left out of resize's bundle), built in memory. The resize function also ships sharp's native
 * package; its size on this machine's platform is reported beside it (the Lambda's architecture's
 * build is of the same order).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { esbuildOptions, nativePackagesOf } from "../infra/bundle";
import { FUNCTION_NAMES, type FunctionName } from "../infra/catalog";
import { PROJECT_ROOT } from "./config";

export interface BundleSize {
  name: FunctionName;
  /** index.js, minified. */
  bytes: number;
  /** gzip -9 of it: roughly what the function's zip weighs. */
  gzipBytes: number;
  /** Native packages shipped beside the bundle (resize: sharp and libvips for this platform). */
  nativeBytes: number;
}

function directoryBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** sharp plus its @img platform packages as installed here. */
function sharpBytes(): number {
  const modules = path.join(PROJECT_ROOT, "node_modules");
  const img = path.join(modules, "@img");
  const platform = existsSync(img)
    ? readdirSync(img).filter(
        (d) => d.startsWith(`sharp-${process.platform}`) || d.startsWith(`sharp-libvips-${process.platform}`),
      )
    : [];
  return (
    directoryBytes(path.join(modules, "sharp")) + platform.reduce((t, d) => t + directoryBytes(path.join(img, d)), 0)
  );
}

export async function measureBundles(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const name of FUNCTION_NAMES) {
    const external = nativePackagesOf(name);
    // The options the Pulumi program bundles with, kept in memory.
    const out = await build({ ...esbuildOptions(PROJECT_ROOT, name), outfile: "index.js", write: false });
    const js = out.outputFiles.find((f) => f.path.endsWith("index.js"));
    if (!js) throw new Error(`esbuild produced no index.js for ${name}`);
    sizes.push({
      name,
      bytes: js.contents.length,
      gzipBytes: gzipSync(js.contents, { level: 9 }).length,
      nativeBytes: external.includes("sharp") ? sharpBytes() : 0,
    });
  }
  return sizes;
}
