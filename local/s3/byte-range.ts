/**
 * The Range header of an object read (GetObject, HeadObject), resolved against the object's size as
 * S3 resolves it. S3 serves one range per request and follows RFC 9110 (section 14) for it:
 *
 *   bytes=first-last   bytes first..last; a last past the end is cut to the end (206)
 *   bytes=first-       from first to the end (206)
 *   bytes=-n           the last n bytes; the whole object when n >= its size (206)
 *   first >= size      unsatisfiable: 416 InvalidRange, an empty object included
 *   bytes=-0           unsatisfiable: 416 InvalidRange
 *
 * and ignores (200, the whole object) every header that is not exactly one such spec: several ranges
 * (`bytes=0-1,3-4`), last < first (`bytes=1-0`), no unit, another unit, signs or other characters. A
 * suffix of an empty object is answered 200 with the empty object: there is no byte to name in a
 * Content-Range. These are S3's answers as recorded against AWS by LocalStack's test_get_object_range;
 * s3rver gets the suffix form wrong (it answers `bytes=-n` with the first n+1 bytes), `bytes=0-0` (the
 * whole object) and the ignored forms, which is why the gate resolves ranges itself.
 */

export type ByteRange =
  /** No Range header, or one S3 ignores: 200 with the whole object. */
  | { kind: "whole" }
  /** 206: bytes start..end, both included. */
  | { kind: "part"; start: number; end: number }
  /** 416 InvalidRange. */
  | { kind: "unsatisfiable" };

const SPEC = /^bytes=(?:(\d+)-(\d*)|-(\d+))$/i;

export function resolveByteRange(header: string | undefined, size: number): ByteRange {
  const match = header === undefined ? null : SPEC.exec(header);
  if (!match) return { kind: "whole" };
  const [, first, last = "", suffix] = match;
  if (first === undefined) {
    const length = Number(suffix);
    if (length === 0) return { kind: "unsatisfiable" };
    if (size === 0) return { kind: "whole" };
    return { kind: "part", start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return { kind: "whole" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "part", start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}

/** The Content-Range of a part, or of a 416 (RFC 9110 15.5.17: the size after `*`). */
export function contentRange(range: ByteRange, size: number): string {
  return range.kind === "part" ? `bytes ${range.start}-${range.end}/${size}` : `bytes */${size}`;
}
