/**
 * Which files the site bucket gets, under which key, with which headers: every file of the page's
 * build output (web/build.ts, run by the program), which mirrors the site root. runtime-config.json
 * is never taken from there: the deploy writes it with the API's URL.
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

export function collectSiteFiles(siteDir: string): SiteFiles {
  const keys = existsSync(siteDir) && statSync(siteDir).isDirectory() ? walk(siteDir) : [];
  const files = keys
    .filter((key) => key !== RUNTIME_CONFIG_KEY)
    .sort((a, b) => a.localeCompare(b))
    .map((key) => ({
      key,
      source: path.resolve(siteDir, key),
      contentType: contentTypeOf(key),
      cacheControl: cacheControlOf(key),
    }));
  const warnings: string[] = [];
  const index = files.find((f) => f.key === "index.html");
  if (index === undefined) warnings.push(`${siteDir} has no index.html: the site will have no page`);
  else if (/\{\{\s*\w+\s*\}\}/.test(readFileSync(index.source, "utf8"))) {
    warnings.push(`${index.source} still has {{...}} placeholders: it is not a built page`);
  }
  return { files, warnings };
}
