/**
 * The image core of Resize: source bytes in, thumbnail bytes out. No I/O; the handler fetches the
 * pinned source and stores the result.
 *
 * Order matters, cheapest and safest first:
 *   1. sniff the magic bytes (415 for anything but JPEG/PNG/GIF/WebP/AVIF; no decoder has run yet);
 *   2. read the header only and refuse more than maxInputPixels per frame (422), before any decoding;
 *   3. decode with failOn "warning" (truncation and bad CRCs are errors, never a grey half-image),
 *      limitInputPixels as a second guard, the first frame only, and a processing timeout (sharp's,
 *      plus a wall-clock deadline over decode and encode together: deadline.ts);
 *   4. auto-orient, fit inside WxH or crop to cover it (never upscaling either way: cover.ts), convert
 *      to 8-bit sRGB, out as raw pixels;
 *   5. encode the raw pixels (which carry no metadata at all) in the requested format, and make the
 *      placeholder from the same pixels (placeholder.ts).
 */
import sharp from "sharp";
import { ImageTooLarge, UnsupportedImageType } from "../shared/errors";
import { CROP_POSITIONS, DEFAULT_POSITION, FITS } from "../shared/fit";
import { contentTypeOf, formatName, type SourceFormat } from "../shared/image-formats";
import type { CropPosition, Fit, OutputFormat } from "../shared/types";
import { coverSize, uprightFrameSize } from "./cover";
import { withinProcessingTime } from "./deadline";
import { classifySharpError, classifyTimeout } from "./decode-errors";
import { ENCODERS } from "./encoders";
import { MAX_JPEG_SCANS, countJpegScans } from "./jpeg-scans";
import { blockUntrustedLoaders } from "./loaders";
import { makePlaceholder } from "./placeholder";
import { ALLOWED_TYPES, SNIFF_BYTES, sniffImageType } from "./sniff";

blockUntrustedLoaders();

export interface ThumbnailOptions {
  /** The box: the thumbnail fits inside it keeping the aspect ratio (inside), or is cropped to it (cover). */
  width: number;
  height: number;
  format: OutputFormat;
  /** inside (the default) or cover. */
  fit?: Fit;
  /** cover only: the part of the image the crop keeps (default attention). */
  position?: CropPosition;
  /** Most pixels (width x height of one frame) a source may have; checked from the header. */
  maxInputPixels: number;
  /** Whole seconds of processing before the image is refused as too large (ImageTooLarge). */
  timeoutSeconds: number;
}

/** A thumbnail without its placeholder. */
export interface BareThumbnail {
  data: Buffer;
  width: number;
  height: number;
  format: OutputFormat;
  contentType: string;
}

export interface ThumbnailOutput extends BareThumbnail {
  /** A tiny blurred WebP of the thumbnail as a data: URI (placeholder.ts). */
  placeholder: string;
}

/** What libvips' header read reports for each sniffed format (AVIF is HEIF with AV1 coding). */
const LOADER_FORMAT: Record<SourceFormat, string> = {
  jpeg: "jpeg",
  png: "png",
  gif: "gif",
  webp: "webp",
  avif: "heif",
};

function checkOptions(o: ThumbnailOptions): void {
  const positiveInt = (n: number): boolean => Number.isSafeInteger(n) && n > 0;
  if (!positiveInt(o.width) || !positiveInt(o.height))
    throw new RangeError(`invalid thumbnail size ${o.width}x${o.height}`);
  if (!positiveInt(o.maxInputPixels)) throw new RangeError(`invalid maxInputPixels ${o.maxInputPixels}`);
  // sharp's timeout takes whole seconds, 0 meaning none: a missing timeout would be a bug, not a setting.
  if (!Number.isInteger(o.timeoutSeconds) || o.timeoutSeconds < 1 || o.timeoutSeconds > 3600) {
    throw new RangeError(`invalid timeoutSeconds ${o.timeoutSeconds}`);
  }
  if (!Object.hasOwn(ENCODERS, o.format)) throw new RangeError(`invalid output format ${String(o.format)}`);
  if (o.fit !== undefined && !FITS.includes(o.fit)) throw new RangeError(`invalid fit ${String(o.fit)}`);
  if (o.position !== undefined && (o.fit !== "cover" || !CROP_POSITIONS.includes(o.position))) {
    throw new RangeError(`invalid position ${String(o.position)} for fit ${String(o.fit)}`);
  }
}

const megapixels = (pixels: number): string => `${Math.round(pixels / 1e5) / 10} MP`;

/**
 * Input options shared by the header read and the pipeline:
 * - failOn "warning", the strictest level: "truncated" already fails cut-off JPEG/PNG/GIF, "error" is
 *   needed for bad PNG CRCs, and "warning" also for libjpeg's "corrupt data" warnings (bad Huffman
 *   codes, extraneous bytes), which otherwise decode to grey or garbled blocks. libjpeg stops at EOI,
 *   so a JPEG with bytes appended after it (a polyglot) still decodes, without them.
 * - pages 1: the first frame of an animation only, so a 200-frame GIF costs one frame's decode and
 *   limitInputPixels applies to that frame (sharp's default; set explicitly because it is a guarantee).
 */
const SOURCE_OPTIONS = { failOn: "warning", pages: 1 } as const satisfies sharp.SharpOptions;

/** Read the header (no pixel decoding) and refuse what must not be decoded. */
async function checkHeader(input: Buffer, format: SourceFormat, o: ThumbnailOptions): Promise<sharp.Metadata> {
  // No pixel limit here: metadata() decodes nothing, and we want the dimensions for a clear message.
  const header = await sharp(input, { ...SOURCE_OPTIONS, limitInputPixels: false }).metadata();
  if (header.format !== LOADER_FORMAT[format] || (format === "avif" && header.compression !== "av1")) {
    // E.g. an ftyp box claiming AVIF around HEVC data: that is HEIC, which is not allowed.
    const what = header.compression === "hevc" ? "a HEIC image" : `${header.format} data`;
    throw new UnsupportedImageType(
      `Unsupported image type: the file starts like ${formatName(format)} but contains ${what}. ${ALLOWED_TYPES}`,
    );
  }
  // One frame: with pages 1 the header describes the first frame; pageHeight is the per-frame height
  // if a loader ever reports the whole strip.
  const frameHeight = header.pageHeight ?? header.height;
  const pixels = header.width * frameHeight;
  if (!(pixels <= o.maxInputPixels)) {
    throw new ImageTooLarge(
      `The image is ${header.width}x${frameHeight} pixels (${megapixels(pixels)}); the limit is ${o.maxInputPixels} pixels (${megapixels(o.maxInputPixels)}).`,
    );
  }
  if (format === "jpeg") {
    const scans = countJpegScans(input);
    if (scans > MAX_JPEG_SCANS) {
      throw new ImageTooLarge(`The JPEG has ${scans} progressive scans; the limit is ${MAX_JPEG_SCANS}.`);
    }
  }
  return header;
}

/** Decoded, oriented, resized 8-bit sRGB pixels (RGB or RGBA), ready for an encoder. */
interface Pixels {
  data: Buffer;
  info: sharp.OutputInfo;
}

/** The resize of the pipeline: fit inside without enlarging, or cover at a size that needs no enlarging. */
function resizeFor(header: sharp.Metadata, o: ThumbnailOptions): [number, number, sharp.ResizeOptions] {
  if (o.fit !== "cover") return [o.width, o.height, { fit: "inside", withoutEnlargement: true }];
  const size = coverSize(uprightFrameSize(header), { width: o.width, height: o.height });
  // sharp takes these names as they are: its attention and entropy strategies, and "center" gravity.
  return [size.width, size.height, { fit: "cover", position: o.position ?? DEFAULT_POSITION }];
}

/**
 * Phase 1, decode: everything that reads the source, ending in raw pixels. Kept apart from encoding
 * so that a failure here is known to be about the source (sharp's PNG encoder, for one, hides the
 * decoder's message behind "vips2png: unable to write to target").
 */
async function decode(input: Buffer, header: sharp.Metadata, o: ThumbnailOptions): Promise<Pixels> {
  let image = sharp(input, {
    ...SOURCE_OPTIONS,
    limitInputPixels: o.maxInputPixels, // second guard, should a header ever understate the size
    autoOrient: true, // EXIF orientation 1-8 -> upright
  })
    // Resize directly after load, so JPEG (DCT scaling) and WebP shrink-on-load still apply: a 12 MP
    // JPEG is decoded at 1/8 scale for a 256 px thumbnail (cover crops after shrinking, so it too).
    .resize(...resizeFor(header, o))
    .timeout({ seconds: o.timeoutSeconds });
  if (header.depth !== "uchar") {
    // sharp (0.35) processes 16-bit input with an embedded profile in Display P3 and, unless told the
    // pipeline colourspace, writes those P3 values as if they were sRGB: visibly wrong colours. A
    // 16-bit sRGB pipeline converts the profile to sRGB properly. Only PNG/AVIF can be 16-bit, and
    // neither has shrink-on-load, which this setting would disable.
    image = image.pipelineColourspace("srgb");
  }
  // sRGB (CMYK, greyscale and ICC-profiled input are converted), 8 bits per channel.
  return image.toColourspace("srgb").raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
}

/**
 * Phase 2, encode. Raw pixels carry no metadata, so nothing of the source's EXIF (GPS, camera,
 * orientation), XMP, IPTC, comments or ICC profile can reach the output; sharp's encoders add none
 * by default (no keepMetadata/withMetadata here), and untagged output is sRGB by definition.
 */
async function encode(pixels: Pixels, o: ThumbnailOptions): Promise<{ data: Buffer; info: sharp.OutputInfo }> {
  const { width, height, channels } = pixels.info;
  const image = sharp(pixels.data, { raw: { width, height, channels } }).timeout({ seconds: o.timeoutSeconds });
  return ENCODERS[o.format](image).toBuffer({ resolveWithObject: true });
}

/** Make a thumbnail of `input`; throws UnsupportedImageType, ImageTooLarge or CorruptImage for bad sources. */
export async function makeThumbnail(input: Buffer, options: ThumbnailOptions): Promise<ThumbnailOutput> {
  checkOptions(options);
  const format = sniffImageType(input.subarray(0, SNIFF_BYTES));
  const alongside = (pixels: Pixels): Promise<string> =>
    makePlaceholder(pixels, options.format, options.timeoutSeconds);
  const [thumbnail, placeholder] = await withinProcessingTime(
    processImage(input, format, options, alongside),
    options.timeoutSeconds,
  );
  return { ...thumbnail, placeholder };
}

/**
 * makeThumbnail without the placeholder, as the service made thumbnails before placeholders existed.
 * The service never calls it: bench/fit-cost.ts does, to measure what the placeholder adds.
 */
export async function makeThumbnailWithoutPlaceholder(
  input: Buffer,
  options: ThumbnailOptions,
): Promise<BareThumbnail> {
  checkOptions(options);
  const format = sniffImageType(input.subarray(0, SNIFF_BYTES));
  const [thumbnail] = await withinProcessingTime(
    processImage(input, format, options, async () => undefined),
    options.timeoutSeconds,
  );
  return thumbnail;
}

/** Decode once, then encode the thumbnail and run `alongside` (the placeholder) on the same pixels, together. */
async function processImage<T>(
  input: Buffer,
  format: SourceFormat,
  options: ThumbnailOptions,
  alongside: (pixels: Pixels) => Promise<T>,
): Promise<[BareThumbnail, T]> {
  let pixels: Pixels;
  try {
    const header = await checkHeader(input, format, options);
    pixels = await decode(input, header, options);
  } catch (err) {
    throw classifySharpError(err, format, options);
  }
  // Encoding sees only our own raw pixels: apart from the timeout, a failure here is a bug of ours.
  const [{ data, info }, extra] = await Promise.all([encode(pixels, options), alongside(pixels)]).catch(
    (err: unknown) => {
      throw classifyTimeout(err, options);
    },
  );
  return [
    {
      data,
      width: info.width,
      height: info.height,
      format: options.format,
      contentType: contentTypeOf(options.format),
    },
    extra,
  ];
}
