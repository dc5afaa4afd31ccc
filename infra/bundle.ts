/**
 * Builds each function from lambdas/<name>/handler.ts with esbuild, as part of the program, so that
 * `pulumi up` alone deploys the code in the working tree. One self-contained CommonJS bundle per
 * function (AWS SDK included, so the code runs against the SDK it was tested with), except sharp:
 * it is native, so resize gets it as a node_modules tree built for the functions' architecture.
 */
import { build, type BuildOptions } from "esbuild";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { entryOf, perFunction, type ApiEntry, type FunctionName, type TaskEntry } from "./catalog";
import { installedSharpVersion, sharpForLambda } from "./sharp-package";
import { standaloneValidatorsPlugin } from "./standalone-validators";
import type { Architecture } from "./stack-config";

/** The Lambda handler setting for every bundle. */
export const BUNDLE_HANDLER = "index.handler";

export interface BundleOptions {
  /** The repository root (holds lambdas/ and node_modules/). */
  projectRoot: string;
  /** Bundles go to <outDir>/<name>/. */
  outDir: string;
  architecture: Architecture;
  /** Downloaded platform packages, reused across builds. */
  cacheDir: string;
}

export class BundleError extends Error {
  override readonly name = "BundleError";
}

/** Packages left out of a function's bundle and shipped as node_modules (native code: its catalog entry's). */
export function nativePackagesOf(name: FunctionName): string[] {
  const entry: TaskEntry | ApiEntry = entryOf(name);
  return [...(entry.nativePackages ?? [])];
}

/** How every function is bundled; the benchmark measures bundles with the same options. */
export function esbuildOptions(projectRoot: string, name: FunctionName): BuildOptions {
  return {
    entryPoints: [handlerEntry(projectRoot, name)],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // ESM builds first: the AWS SDK tree-shakes far better from them.
    mainFields: ["module", "main"],
    minify: true,
    // Stack traces in the logs keep their function names.
    keepNames: true,
    legalComments: "none",
    external: nativePackagesOf(name),
    // The SDK loads node:http with import(); as ESM that builds node:http's module facade, which
    // evaluates its lazy getters and loads undici and the ESM loader: ~0.1 s of CPU on a cold start
    // at 256 MB. As require() it costs nothing (node:http is loaded already).
    supported: { "dynamic-import": false },
    // Schemas arrive as ajv standalone code: nothing is compiled at cold start.
    plugins: [standaloneValidatorsPlugin(projectRoot)],
    logLevel: "silent",
  };
}

export function handlerEntry(projectRoot: string, name: FunctionName): string {
  return path.join(projectRoot, "lambdas", name, "handler.ts");
}

/** Builds one function into <outDir>/<name>/ and returns that directory. */
export async function bundleFunction(name: FunctionName, options: BundleOptions): Promise<string> {
  const entry = handlerEntry(options.projectRoot, name);
  if (!existsSync(entry)) throw new BundleError(`no handler for function ${name}: ${entry} does not exist`);
  const dir = path.join(options.outDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const external = nativePackagesOf(name);
  try {
    await build({ ...esbuildOptions(options.projectRoot, name), outfile: path.join(dir, "index.js") });
  } catch (err) {
    throw new BundleError(`bundling ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (external.includes("sharp")) {
    const version = installedSharpVersion(options.projectRoot);
    const nodeModules = await sharpForLambda(options.cacheDir, version, options.architecture);
    cpSync(nodeModules, path.join(dir, "node_modules"), {
      recursive: true,
      // npm's own bookkeeping is of no use at runtime.
      filter: (src) => !src.endsWith(`${path.sep}.bin`) && !src.endsWith(".package-lock.json"),
    });
  }
  return dir;
}

/** Starts every function's build; each promise is that function's bundle directory. */
export function bundleAll(options: BundleOptions): Record<FunctionName, Promise<string>> {
  const start = (name: FunctionName): Promise<string> => {
    const built = bundleFunction(name, options);
    // A failure surfaces where the promise is used; keep Node from reporting it early as unhandled.
    built.catch(() => undefined);
    return built;
  };
  return perFunction(start);
}
