/**
 * Which files of web/ the site bucket gets, under which key, with which headers. The page's build
 * output (web/dist/, mirroring the site root) wins over the plain files it was built from
 * (web/index.html, web/*.css). runtime-config.json is never taken from web/: the deploy writes it.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export interface SiteFile {
  /** Object key, "/"-separated, relative to the site root. */
  key: string;
  /** Absolute path of the file to upload. */
  source: string;
  contentType: string;
  cacheControl: string;
}

export const RUNTIME_CONFIG_KEY = "runtime-config.json";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

export function contentTypeOf(key: string): string {
  return CONTENT_TYPES[path.extname(key).toLowerCase()] ?? "application/octet-stream";
}

/** Hashed build assets never change under their name; everything else is revalidated on each visit. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

export function cacheControlOf(key: string): string {
  return key.startsWith("assets/") ? IMMUTABLE : REVALIDATE;
}

function walk(dir: string, base: string = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, base);
    return entry.isFile() ? [path.relative(base, full).split(path.sep).join("/")] : [];
  });
}

export interface SiteFiles {
  files: SiteFile[];
  /** Things a human should know before this is deployed (e.g. an unbuilt page). */
  warnings: string[];
}

export function collectSiteFiles(webDir: string): SiteFiles {
  const byKey = new Map<string, string>();
  if (existsSync(webDir) && statSync(webDir).isDirectory()) {
    for (const name of readdirSync(webDir)) {
      if (name === "index.html" || name.endsWith(".css")) byKey.set(name, path.join(webDir, name));
    }
    const dist = path.join(webDir, "dist");
    if (existsSync(dist) && statSync(dist).isDirectory()) {
      for (const key of walk(dist)) byKey.set(key, path.join(dist, key));
    }
  }
  byKey.delete(RUNTIME_CONFIG_KEY);
  const files = [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, source]) => ({ key, source: path.resolve(source), contentType: contentTypeOf(key), cacheControl: cacheControlOf(key) }));
  const warnings: string[] = [];
  const index = files.find((f) => f.key === "index.html");
  if (index === undefined) warnings.push(`${webDir} has no index.html: the site will have no page`);
  else if (/\{\{\s*\w+\s*\}\}/.test(readFileSync(index.source, "utf8"))) {
    warnings.push(`${index.source} still has {{...}} placeholders: build the page into ${path.join(webDir, "dist")} first`);
  }
  return { files, warnings };
}
