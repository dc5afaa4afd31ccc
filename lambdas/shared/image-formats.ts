/**
 * The image formats of the contract, each written once: its name for people, its content type, its
 * file extension and whether thumbnails are made in it. Uploads may be any of them; the output formats
 * are the ones marked `output`. Every list of formats, types or extensions in lambdas/ and web/ is
 * derived from this table; the JSON Schemas (schemas/defs.schema.json), which must stay plain JSON for
 * the standalone validators, are checked against it by test/unit/image-formats-map.test.ts.
 *
 * No imports: the web page bundles this file too.
 */

interface ImageFormatInfo {
  /** How the page and the error messages name it. */
  name: string;
  contentType: string;
  /** Of upload names and thumbnail keys. */
  extension: string;
  /** Thumbnails are made in this format. GIF is read, never written: its 256 colours band photos. */
  output: boolean;
}

/** In the order lists are shown (the configuration's defaults, the allowed types in messages). */
export const IMAGE_FORMATS = {
  jpeg: { name: "JPEG", contentType: "image/jpeg", extension: "jpg", output: true },
  png: { name: "PNG", contentType: "image/png", extension: "png", output: true },
  webp: { name: "WebP", contentType: "image/webp", extension: "webp", output: true },
  gif: { name: "GIF", contentType: "image/gif", extension: "gif", output: false },
  avif: { name: "AVIF", contentType: "image/avif", extension: "avif", output: true },
} as const satisfies Record<string, ImageFormatInfo>;

type Formats = typeof IMAGE_FORMATS;

/** A format the service reads (what sniffing the bytes may find). */
export type SourceFormat = keyof Formats;
/** A format the service writes thumbnails in. */
export type OutputFormat = { [F in SourceFormat]: Formats[F]["output"] extends true ? F : never }[SourceFormat];
/** The content type of an upload the service signs for. */
export type UploadContentType = Formats[SourceFormat]["contentType"];

export const isSourceFormat = (value: string): value is SourceFormat => Object.hasOwn(IMAGE_FORMATS, value);
const isOutput = (format: SourceFormat): format is OutputFormat => IMAGE_FORMATS[format].output;

export const SOURCE_FORMATS: readonly SourceFormat[] = Object.keys(IMAGE_FORMATS).filter(isSourceFormat);
export const OUTPUT_FORMATS: readonly OutputFormat[] = SOURCE_FORMATS.filter(isOutput);
export const formatName = (format: SourceFormat): string => IMAGE_FORMATS[format].name;
export const contentTypeOf = (format: SourceFormat): UploadContentType => IMAGE_FORMATS[format].contentType;
export const extensionOf = (format: SourceFormat): string => IMAGE_FORMATS[format].extension;

export const UPLOAD_CONTENT_TYPES: readonly UploadContentType[] = SOURCE_FORMATS.map(contentTypeOf);

/** The format an upload's content type names (the type is one of UPLOAD_CONTENT_TYPES: schema-checked). */
export function formatOfContentType(contentType: UploadContentType): SourceFormat {
  const format = SOURCE_FORMATS.find((f) => IMAGE_FORMATS[f].contentType === contentType);
  if (format === undefined) throw new RangeError(`no image format has the content type ${contentType}`);
  return format;
}

/**
 * contentTypeOf as a record, for callers that index by output format. fromEntries cannot know that
 * OUTPUT_FORMATS names every output format; the type says so because it is built from that list.
 */
export const CONTENT_TYPE_OF_FORMAT = Object.fromEntries(OUTPUT_FORMATS.map((f) => [f, contentTypeOf(f)])) as Readonly<
  Record<OutputFormat, UploadContentType>
>;

/** "JPEG, PNG, WebP, GIF, AVIF": what an upload may be, for messages. */
export const SOURCE_FORMAT_NAMES = SOURCE_FORMATS.map(formatName).join(", ");
