/**
 * Decide a source's type from its first bytes only, before any decoder sees it. The name, the
 * extension and the Content-Type are the client's claims; the magic bytes are the file. Only the five
 * raster formats of the contract pass; everything else (SVG, HTML, PDF, HEIC, ...) is refused here, so
 * the SVG, PDF and HEVC decoders are never reached. The description of a refused file is for the
 * error message only: the allowlist check does not depend on it.
 */
import { UnsupportedImageType } from "../shared/errors";
import { SOURCE_FORMAT_NAMES, type SourceFormat } from "../shared/image-formats";

/** How many leading bytes sniffImageType looks at (enough for an ftyp box's brand list and a text prolog). */
export const SNIFF_BYTES = 512;

/** The end of every UnsupportedImageType message. */
export const ALLOWED_TYPES = `Allowed types: ${SOURCE_FORMAT_NAMES} (decided from the file's content, not its name or Content-Type).`;

const ascii = (head: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...head.subarray(start, Math.min(end, head.length)));

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0): boolean =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/** The major and compatible brands of an ISO-BMFF `ftyp` box at the start of the file, if there is one. */
function ftypBrands(head: Uint8Array): string[] | undefined {
  if (head.length < 16 || ascii(head, 4, 8) !== "ftyp") return undefined;
  const size = ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0);
  const end = Math.min(size >>> 0, head.length);
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  return brands;
}

const AVIF_BRANDS = new Set(["avif", "avis"]);
const HEVC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]);

/**
 * AVIF is an ftyp box whose major brand is avif/avis, or whose compatible brands include one of them
 * without also claiming HEVC (a HEIC file may list avif among many brands; it is still HEVC inside).
 */
function isAvif(brands: string[]): boolean {
  const [major = ""] = brands;
  if (AVIF_BRANDS.has(major)) return true;
  return brands.some((b) => AVIF_BRANDS.has(b)) && !brands.some((b) => HEVC_BRANDS.has(b));
}

function allowedFormat(head: Uint8Array): SourceFormat | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  const six = ascii(head, 0, 6);
  if (six === "GIF87a" || six === "GIF89a") return "gif";
  if (
    ascii(head, 0, 4) === "RIFF" &&
    ascii(head, 8, 12) === "WEBP" &&
    ["VP8 ", "VP8L", "VP8X"].includes(ascii(head, 12, 16))
  ) {
    return "webp";
  }
  const brands = ftypBrands(head);
  if (brands && isAvif(brands)) return "avif";
  return undefined;
}

/** Printable text (UTF-8 or ASCII): no NULs and almost no control bytes. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= head.length / 100;
}

const BINARY_SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: "a PDF document" }, // %PDF-
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: "a TIFF image" },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: "a TIFF image" },
  { bytes: [0x00, 0x00, 0x01, 0x00], what: "an ICO icon" },
  { bytes: [0x38, 0x42, 0x50, 0x53], what: "a Photoshop (PSD) file" },
  { bytes: [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20], what: "a JPEG XL image" },
  { bytes: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20], what: "a JPEG 2000 image" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a ZIP archive" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "an executable (ELF)" },
];

/** Two-byte signatures, checked only after the text test so that a text file starting "BM" stays text. */
const WEAK_SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x42, 0x4d], what: "a BMP image" },
  { bytes: [0xff, 0x0a], what: "a JPEG XL image" },
  { bytes: [0x1f, 0x8b], what: "gzip-compressed data (e.g. a compressed SVG)" },
  { bytes: [0x4d, 0x5a], what: "an executable (Windows)" },
];

/** A short human description of a file that is not an allowed image, for the error message. */
export function describeUnsupported(head: Uint8Array): string {
  if (head.length === 0) return "empty";
  for (const sig of BINARY_SIGNATURES) if (startsWith(head, sig.bytes)) return sig.what;
  if (ascii(head, 0, 4) === "RIFF") return "a RIFF file that is not WebP (e.g. AVI or WAV)";
  const brands = ftypBrands(head);
  if (brands) {
    if (brands.some((b) => HEVC_BRANDS.has(b)) || ["mif1", "msf1"].includes(brands[0] ?? ""))
      return "a HEIC/HEIF image";
    return "a video or other ISO media file (MP4, MOV, 3GP)";
  }
  if (looksLikeText(head)) {
    // Strip a UTF-8 byte order mark and leading white space, then look at the markup, case-insensitively.
    const text = new TextDecoder("utf-8", { fatal: false })
      .decode(head)
      .replace(/^\uFEFF/, "")
      .trimStart()
      .toLowerCase();
    if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg|<svg[\s>])/.test(text) || /<svg[\s>]/.test(text))
      return "an SVG image";
    if (/^(<!doctype html|<html|<head|<body|<script|<iframe|<!--)/.test(text) || /<(html|body|script)[\s>]/.test(text))
      return "an HTML document";
    if (text.startsWith("<?xml")) return "an XML document";
    if (text.startsWith("{") || text.startsWith("[")) return "JSON or other text";
    return "plain text";
  }
  for (const sig of WEAK_SIGNATURES) if (startsWith(head, sig.bytes)) return sig.what;
  return "of an unknown type";
}

/**
 * The source format of `head` (the first SNIFF_BYTES of the file, or all of it), or UnsupportedImageType
 * naming what the file looks like and what is allowed.
 */
export function sniffImageType(head: Uint8Array): SourceFormat {
  const format = allowedFormat(head);
  if (format) return format;
  const what = describeUnsupported(head.subarray(0, SNIFF_BYTES));
  const looks = what === "empty" || what === "of an unknown type" ? `is ${what}` : `looks like ${what}`;
  throw new UnsupportedImageType(`Unsupported image type: the file ${looks}. ${ALLOWED_TYPES}`);
}
