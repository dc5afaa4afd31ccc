/**
 * What the local Lambda service runs: each function's bundle built with the very esbuild options
 * `pulumi up` ships (infra/bundle.ts, standalone validators included), and the environment runtime
 * (bootstrap.ts) as plain JavaScript. sharp stays outside resize's bundle, as on Lambda; locally it
 * resolves from the project's own node_modules (NODE_PATH) instead of the shipped copy.
 */
import { build } from "esbuild";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { esbuildOptions } from "../../infra/bundle";
import type { FunctionName } from "../../infra/catalog";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");

export interface LocalBundles {
  bootstrap: string;
  /** Each function's task root (holds index.js). */
  taskRoots: Record<string, string>;
}

const built = new Map<string, Promise<LocalBundles>>();

/** A handler module bundled in place of lambdas/<name>/handler.ts, with <name>'s build options. */
export type EntryPoints = Partial<Record<FunctionName, string>>;

async function buildAll(
  outDir: string,
  names: readonly FunctionName[],
  entryPoints: EntryPoints,
): Promise<LocalBundles> {
  await mkdir(outDir, { recursive: true });
  const bootstrap = path.join(outDir, "bootstrap.js");
  const taskRoots: Record<string, string> = {};
  await Promise.all([
    build({
      entryPoints: [path.join(__dirname, "bootstrap.ts")],
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      outfile: bootstrap,
      logLevel: "silent",
    }),
    ...names.map(async (name) => {
      const dir = path.join(outDir, name);
      taskRoots[name] = dir;
      const entry = entryPoints[name];
      await build({
        ...esbuildOptions(PROJECT_ROOT, name),
        ...(entry !== undefined ? { entryPoints: [entry] } : {}),
        outfile: path.join(dir, "index.js"),
      });
    }),
  ]);
  return { bootstrap, taskRoots };
}

/** Builds once per output directory and process; later callers share the result. */
export function localBundles(
  outDir: string,
  names: readonly FunctionName[],
  entryPoints: EntryPoints = {},
): Promise<LocalBundles> {
  const entries = [...names].sort().map((n) => (entryPoints[n] !== undefined ? `${n}=${entryPoints[n]}` : n));
  const key = `${path.resolve(outDir)}|${entries.join(",")}`;
  let bundles = built.get(key);
  if (bundles === undefined) {
    bundles = buildAll(outDir, names, entryPoints);
    built.set(key, bundles);
    bundles.catch(() => built.delete(key));
  }
  return bundles;
}
