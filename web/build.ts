/**
 * Builds the static site: index.html plus a content-hashed, minified JS bundle and stylesheet, so
 * the host can cache the assets forever and only index.html must be revalidated. runtime-config.json
 * is deliberately not written here: each host (local app server, the site bucket) supplies its own.
 */
import { buildSync } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const WEB_DIR = __dirname;

/** Browsers the page supports: anything from the last ~3 years (ES2020, CSS nesting not used). */
const TARGETS = ["chrome100", "firefox100", "safari15", "edge100"];

export interface WebBuildResult {
  /** Paths relative to outDir. */
  files: string[];
}

/** Metafile paths are relative to absWorkingDir (WEB_DIR). */
function outputFor(outputs: Record<string, { entryPoint?: string }>, entry: string, outDir: string): string {
  for (const [file, meta] of Object.entries(outputs)) {
    if (meta.entryPoint && path.resolve(WEB_DIR, meta.entryPoint) === entry) {
      return path.relative(outDir, path.resolve(WEB_DIR, file)).split(path.sep).join("/");
    }
  }
  throw new Error(`web build: no output for ${entry}`);
}

export async function buildWeb(outDir: string): Promise<void> {
  await buildWebWithManifest(outDir);
}

/** buildWeb, also telling which files it wrote (for tests and for an upload that sets cache headers). */
export async function buildWebWithManifest(outDir: string): Promise<WebBuildResult> {
  return buildWebSync(outDir);
}

/**
 * Empties outDir: the site upload takes every file in it (infra/site-files.ts), so a previous
 * build's hashed assets must not linger. Refuses a folder holding the page's sources, or a root.
 */
function clearOutDir(out: string): void {
  const sources = path.relative(out, WEB_DIR);
  const holdsSources =
    sources === "" || (sources !== ".." && !sources.startsWith(`..${path.sep}`) && !path.isAbsolute(sources));
  if (path.parse(out).root === out || holdsSources) {
    throw new Error(`web build: refusing to empty ${out}, which holds the page's sources or is a root`);
  }
  rmSync(out, { recursive: true, force: true });
}

/**
 * The build itself, synchronous so the Pulumi program can build the page while it declares the
 * site's objects (their list must be known when the program runs). esbuild's sync API is as fast.
 * The output folder is emptied first: it holds this build's files only.
 */
export function buildWebSync(outDir: string): WebBuildResult {
  const out = path.resolve(outDir);
  clearOutDir(out);
  mkdirSync(out, { recursive: true });
  const script = path.join(WEB_DIR, "src", "main.ts");
  const styles = path.join(WEB_DIR, "styles.css");
  const result = buildSync({
    entryPoints: { app: script, styles },
    outdir: path.join(out, "assets"),
    entryNames: "[name]-[hash]",
    bundle: true,
    minify: true,
    format: "esm",
    target: TARGETS,
    sourcemap: false,
    metafile: true,
    write: true,
    logLevel: "silent",
    absWorkingDir: WEB_DIR,
    legalComments: "none",
  });
  const outputs = result.metafile.outputs;
  const scriptFile = outputFor(outputs, script, out);
  const stylesFile = outputFor(outputs, styles, out);

  const template = readFileSync(path.join(WEB_DIR, "index.html"), "utf8");
  const html = template.replace("{{script}}", scriptFile).replace("{{styles}}", stylesFile);
  if (html.includes("{{")) throw new Error("web build: index.html has an unfilled placeholder");
  writeFileSync(path.join(out, "index.html"), html);
  return { files: ["index.html", scriptFile, stylesFile] };
}

// `tsx web/build.ts <outDir>` builds once, for a look at the output by hand.
if (require.main === module) {
  const target = process.argv[2] ?? "dist/web";
  buildWebWithManifest(target)
    .then(({ files }) => console.log(`built ${files.join(", ")} into ${target}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
