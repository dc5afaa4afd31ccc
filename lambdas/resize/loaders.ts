/**
 * Defence in depth: libvips can decode dozens of formats (SVG via librsvg, PDF, TIFF, FITS, Magick,
 * OpenSlide, ...), each a large attack surface. sniff.ts already refuses every file that is not one
 * of the five allowed formats, but if a sniffing bug or a loader's looser "is this mine?" test ever
 * let a file through, the wrong decoder must still not run. So every libvips loader is blocked
 * process-wide (sharp.block, sharp >= 0.32.4) and only the five we need are unblocked again.
 * Blocked loaders are skipped when libvips picks a loader, so such a file fails as "unsupported".
 * Savers are not affected; other code in the same process can still decode these five formats.
 */
import sharp from "sharp";

/** Loader classes kept (each with its File/Buffer/Source subclasses). HEIF is for AVIF only. */
export const ALLOWED_LOADERS = [
  "VipsForeignLoadJpeg",
  "VipsForeignLoadPng",
  "VipsForeignLoadNsgif",
  "VipsForeignLoadWebp",
  "VipsForeignLoadHeif",
] as const;

let applied = false;

/** Block every libvips loader except ALLOWED_LOADERS. Idempotent; global to the process. */
export function blockUntrustedLoaders(): void {
  if (applied) return;
  sharp.block({ operation: ["VipsForeignLoad"] });
  sharp.unblock({ operation: [...ALLOWED_LOADERS] });
  applied = true;
}
