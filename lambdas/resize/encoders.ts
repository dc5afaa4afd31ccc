/**
 * Output encoders for thumbnails. Thumbnails are small (<= 1024 px a side), viewed once at their size
 * and cached for a year, so the settings favour a small file at a quality nobody notices, at an
 * encoding cost of tens of milliseconds. Every setting is fixed (no per-call variation), which keeps
 * the output byte-identical for the same input.
 */
import type sharp from "sharp";
import type { OutputFormat } from "../shared/types";

/** Background for formats without alpha: transparent areas become white, as on a typical page. */
export const JPEG_BACKGROUND = { r: 255, g: 255, b: 255 };

export const ENCODERS: Record<OutputFormat, (image: sharp.Sharp) => sharp.Sharp> = {
  // mozjpeg: trellis quantisation, progressive scans and optimised Huffman tables give ~10-20 % smaller
  // files than libjpeg defaults at the same visual quality; at thumbnail size it costs a few ms.
  // Quality 80 with 4:2:0 chroma is the usual web setting: artefacts are invisible at this size.
  jpeg: (image) =>
    image.flatten({ background: JPEG_BACKGROUND }).jpeg({ quality: 80, mozjpeg: true, chromaSubsampling: "4:2:0" }),
  // Lossless by nature: palette off keeps full 24/32-bit colour (quantising photos to 256 colours bands
  // gradients); zlib level 6 is the default speed/size trade-off (levels 7-9 take several times longer
  // for ~1 % smaller files); adaptive filtering off is sharp's fast default.
  png: (image) => image.png({ palette: false, compressionLevel: 6, adaptiveFiltering: false }),
  // Quality 80 matches the JPEG setting visually at ~25-35 % fewer bytes; effort 4 is libwebp's
  // default speed. Alpha (if any) is kept and compressed losslessly.
  webp: (image) => image.webp({ quality: 80, effort: 4 }),
  // AVIF's quality scale is lower than JPEG's: 50 looks like JPEG ~80. Effort 2 (of 0-9; default 4)
  // because AV1 encoding is by far the slowest step here; higher efforts buy a few % for 2-5x the time.
  avif: (image) => image.avif({ quality: 50, effort: 2, chromaSubsampling: "4:2:0" }),
};
