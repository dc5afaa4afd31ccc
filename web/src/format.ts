/** Human-readable numbers for the page. Binary units, so a 25 MiB limit reads "25 MB" as configured. */
import { IMAGE_FORMATS, isSourceFormat } from "../../lambdas/shared/image-formats";

const UNITS = ["KB", "MB", "GB"] as const;
/** No-break space: "4 MB" and "256 × 171 px" never break across lines. */
export const NBSP = "\u00a0";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? `1${NBSP}byte` : `${bytes}${NBSP}bytes`;
  let value = bytes;
  let unit: string = "bytes";
  for (const next of UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  // One decimal below 10 ("4.2 MB"), none above ("312 KB"), and never a trailing ".0".
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded}${NBSP}${unit}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}${NBSP}ms`;
  return `${(Math.round(ms / 100) / 10).toFixed(1)}${NBSP}s`;
}

/** The service's image types by their own names; then types a visitor may pick and the service refuses. */
const TYPE_NAMES: Record<string, string> = {
  ...Object.fromEntries(Object.values(IMAGE_FORMATS).map((f) => [f.contentType, f.name])),
  "image/svg+xml": "SVG",
  "image/heic": "HEIC",
  "image/heif": "HEIF",
  "image/tiff": "TIFF",
  "image/bmp": "BMP",
  "application/pdf": "PDF",
  "text/plain": "text",
  "text/html": "HTML",
};

/** "image/jpeg" -> "JPEG"; unknown types are shown as they are. */
export function typeName(contentType: string): string {
  return TYPE_NAMES[contentType] ?? contentType;
}

/** ["a", "b", "c"] -> "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** "256x256" -> "256 × 256 px". */
export function formatResolution(res: string): string {
  const m = /^(\d+)x(\d+)$/.exec(res);
  return m ? `${m[1]}${NBSP}×${NBSP}${m[2]}${NBSP}px` : res;
}

/** "webp" -> "WebP"; a format the page does not know is shown in capitals. */
export function formatName(format: string): string {
  return isSourceFormat(format) ? IMAGE_FORMATS[format].name : format.toUpperCase();
}

const FIT_NAMES: Record<string, string> = { inside: "Fit inside", cover: "Crop to fill" };

/** "cover" -> "Crop to fill"; a fit the page does not know is shown as the service names it. */
export function fitName(fit: string): string {
  return FIT_NAMES[fit] ?? fit;
}

const POSITION_NAMES: Record<string, string> = {
  attention: "Most interesting part",
  entropy: "Most detailed part",
  center: "Centre",
};

/** The focus of a crop: "attention" -> "Most interesting part". */
export function positionName(position: string): string {
  return POSITION_NAMES[position] ?? position;
}
