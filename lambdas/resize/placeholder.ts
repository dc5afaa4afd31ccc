/**
 * The placeholder a page paints before the thumbnail arrives, made from the thumbnail's own raw
 * pixels (the output of the one decode: the source is never read twice), so it costs a resize of a
 * few thousand pixels and a tiny encode.
 *
 * - At most PLACEHOLDER_SIDE px on the longer side, keeping the thumbnail's aspect ratio (up to the
 *   rounding of a side to whole pixels); the page stretches it to the thumbnail's size.
 * - Blurred, so the stretched preview reads as "soft", not as blocky pixels.
 * - WebP, whatever the thumbnail's format: at this size a lossy WebP is 100-300 bytes where a JPEG is
 *   ~400 (its tables dominate) and a PNG of photo pixels 1-2 KB, and every browser the page supports
 *   decodes it. Alpha is kept, except for JPEG thumbnails, flattened onto white as the thumbnail is.
 * - No metadata: raw pixels carry none and the encoder adds none.
 * - At most PLACEHOLDER_MAX_LENGTH characters as a data: URI. A typical photo gives ~100-250; the
 *   worst case, RGBA noise at 16x16 (nothing averaged away, alpha coded losslessly), ~550. So the limit
 *   cannot be reached by any image; the check is there should a libwebp change ever make it so.
 */
import sharp from "sharp";
import { InternalError } from "../shared/errors";
import { PLACEHOLDER_MAX_LENGTH, PLACEHOLDER_PREFIX } from "../shared/placeholder";
import type { OutputFormat } from "../shared/types";
import { JPEG_BACKGROUND } from "./encoders";

/** Longer side of the placeholder, in pixels. */
export const PLACEHOLDER_SIDE = 16;

/**
 * A light blur at 16 px (a 3x3 binomial kernel, a Gaussian of sigma ~0.85): enough to hide the pixel
 * grid once stretched, not enough to lose the colours. A kernel, not sharp's blur(): at this size
 * blur()'s set-up costs ~1 ms per call, the kernel ~0.3 ms.
 */
const BLUR_KERNEL = { width: 3, height: 3, kernel: [1, 2, 1, 2, 4, 2, 1, 2, 1] };

/** Quality of the tiny WebP: it is blurred and stretched, so detail would be bytes spent on nothing. */
const WEBP_QUALITY = 50;

export interface RawPixels {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

/** The placeholder of a thumbnail whose raw pixels are `pixels` and whose format is `format`. */
export async function makePlaceholder(
  pixels: RawPixels,
  format: OutputFormat,
  timeoutSeconds: number,
): Promise<string> {
  const { width, height, channels } = pixels.info;
  let image = sharp(pixels.data, { raw: { width, height, channels } })
    .resize(PLACEHOLDER_SIDE, PLACEHOLDER_SIDE, { fit: "inside", withoutEnlargement: true })
    .timeout({ seconds: timeoutSeconds });
  if (format === "jpeg") image = image.flatten({ background: JPEG_BACKGROUND });
  const webp = await image.convolve(BLUR_KERNEL).webp({ quality: WEBP_QUALITY, effort: 4 }).toBuffer();
  const uri = `${PLACEHOLDER_PREFIX}${webp.toString("base64")}`;
  // A bug of ours (see above), never the image's fault: it surfaces as an InternalError.
  if (uri.length > PLACEHOLDER_MAX_LENGTH) {
    throw new InternalError(`placeholder of ${uri.length} characters (limit ${PLACEHOLDER_MAX_LENGTH})`);
  }
  return uri;
}
