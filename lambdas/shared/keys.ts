/**
 * Object keys and names. Keys are derived only from validated values (a canonical UUID, a hex ETag,
 * an allowlisted size and format), so no request can point the service at another prefix or bucket.
 */
import { randomUUID } from "node:crypto";
import { extensionOf, formatOfContentType } from "./image-formats";
import type { CropPosition, Fit, OutputFormat, UploadContentType } from "./types";

// bench/ imports the content types from here; they are image-formats.ts's.
export { CONTENT_TYPE_OF_FORMAT } from "./image-formats";

/** Uploads whose client named no type: the bytes decide the type later anyway. */
const UNTYPED_EXTENSION = "img";

export function newImageName(contentType?: UploadContentType): string {
  return `${randomUUID()}.${contentType ? extensionOf(formatOfContentType(contentType)) : UNTYPED_EXTENSION}`;
}

/**
 * `uploads/<owner>/<imageName>` when the API knows the caller (lambdas/shared/owner.ts), so one user's
 * imageName resolves to a key another user's request can never reach; `uploads/<imageName>` on an
 * open API.
 */
export const sourceKey = (imageName: string, owner?: string): string =>
  owner === undefined ? `uploads/${imageName}` : `uploads/${owner}/${imageName}`;

const imageId = (imageName: string): string => imageName.slice(0, imageName.indexOf("."));

export function parseRes(res: string): { width: number; height: number } {
  const [w, h] = res.split("x");
  return { width: Number(w), height: Number(h) };
}

/** S3 returns ETags quoted; keys and comparisons use the bare lower-case value. */
export const normalizeEtag = (etag: string | undefined): string => (etag ?? "").replace(/"/g, "").toLowerCase();

/**
 * How the box was filled, in the file name: nothing for inside, so the keys made before crops existed
 * stay the keys of the same thumbnails; "-cover-<position>" for a crop, one object per position.
 */
function fitSuffix(fit: Fit, position: CropPosition | undefined): string {
  if (fit === "inside") return "";
  if (!position) throw new RangeError("a cover thumbnail needs its position");
  return `-cover-${position}`;
}

/** Immutable per source version: a replaced upload gets a new ETag, hence a new key. */
export function thumbnailKey(
  imageName: string,
  etag: string,
  res: string,
  format: OutputFormat,
  fit: Fit = "inside",
  position?: CropPosition,
): string {
  return `thumbnails/${imageId(imageName)}/${etag}/${res}${fitSuffix(fit, position)}.${extensionOf(format)}`;
}

/** One staging object per execution, so concurrent executions never overwrite each other's work. */
export function stagingKey(requestId: string, thumbKey: string): string {
  return `staging/${requestId}/${thumbKey.slice("thumbnails/".length)}`;
}

/** Every published thumbnail is immutable: browsers and CDNs may cache it for a year. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
