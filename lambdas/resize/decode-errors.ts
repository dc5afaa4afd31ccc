/**
 * Turn sharp/libvips failures into the contract's errors. sharp reports everything as a plain Error
 * whose message is libvips' error log, so the only signal is the text. We match the decoder and
 * limit messages we know; anything else (an encoder failure, out of memory, a bug) is not the
 * user's fault and propagates unchanged, for the handler to answer as InternalError.
 */
import { CorruptImage, ImageTooLarge, ServiceError } from "../shared/errors";
import { formatName, type SourceFormat } from "../shared/image-formats";

/** libvips' kill message when sharp's .timeout() fires: "timeout: 42% complete". */
const TIMEOUT = /(^|\n)timeout: \d+% complete/;

/** sharp's limitInputPixels guard (the second line of defence after the header check). */
const PIXEL_LIMIT = /Input image exceeds pixel limit/;

/**
 * Messages of the five allowed loaders and of sharp's input stage. Loader domains are prefixes of a
 * line of the log (VipsJpeg: premature end of JPEG image / vipspng: libpng read error / gifload_buffer:
 * Unexpected end of GIF source data / webp: unable to parse image / heif: Invalid input ...).
 */
const DECODER: readonly RegExp[] = [
  /^Warning treated as error due to failOn setting/, // a libjpeg/libpng warning under failOn "warning"
  /^Input (buffer|file) has corrupt header/,
  /^Input (buffer|file) contains unsupported image format/,
  /^Input image exceeds channel limit/,
  /(^|\n)VipsJpeg: /,
  /(^|\n)(vips)?png(load)?(_buffer)?: /i,
  /(^|\n)spng(load)?(_buffer)?: /i, // libvips built with libspng instead of libpng
  /(^|\n)(ns)?gif(load)?(_buffer)?: /i,
  /(^|\n)webp(load|2vips)?(_buffer)?: /i,
  /(^|\n)heif(load)?(_buffer)?: /i,
  /(^|\n)VipsForeignLoad\w*: /,
  /(^|\n)source: bad seek/,
];

const timeoutError = (seconds: number, cause: Error): ImageTooLarge => ImageTooLarge.tookTooLong(seconds, { cause });

/** ImageTooLarge for sharp's timeout, anything else unchanged. */
export function classifyTimeout(err: unknown, limits: { timeoutSeconds: number }): unknown {
  return err instanceof Error && TIMEOUT.test(err.message) ? timeoutError(limits.timeoutSeconds, err) : err;
}

export function isDecoderMessage(message: string): boolean {
  return DECODER.some((re) => re.test(message));
}

/**
 * The contract error for a failure of sharp while reading or converting a `format` source, or the
 * original error when it is none of ours to explain. Messages are for clients: libvips' own text
 * (which names libraries) stays in `cause`, for the logs.
 */
export function classifySharpError(
  err: unknown,
  format: SourceFormat,
  limits: { timeoutSeconds: number; maxInputPixels: number },
): unknown {
  if (!(err instanceof Error) || err instanceof ServiceError) return err;
  const message = err.message;
  if (TIMEOUT.test(message)) return timeoutError(limits.timeoutSeconds, err);
  if (PIXEL_LIMIT.test(message)) {
    return new ImageTooLarge(`The image has more than ${limits.maxInputPixels} pixels (the limit).`, { cause: err });
  }
  if (isDecoderMessage(message)) {
    return new CorruptImage(`The ${formatName(format)} image could not be decoded: the file is corrupt or truncated.`, {
      cause: err,
    });
  }
  return err;
}
