/**
 * The bucket, key and query of a path-style request, decoded without the URL normalisation of
 * WHATWG `URL` (which would resolve `..` and hide what the client really asked for).
 */
import { s3Error } from "./s3-error";

export interface QueryParam {
  name: string;
  value: string;
}

export interface RequestTarget {
  bucket?: string;
  /** Decoded object key; undefined for service- and bucket-level requests. */
  key?: string;
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  /** The query string as sent, without "?". */
  rawQuery: string;
  /** Decoded parameters in order; `+` stays `+` as in S3's SigV4 canonicalisation. */
  query: QueryParam[];
}

/** Query-string authentication parameters: verified by the gate, never shown to s3rver. */
export const AUTH_QUERY: ReadonlySet<string> = new Set([
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
]);

// S3's bucket naming rules (lower case, 3-63 characters, no leading/trailing dot or dash).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw s3Error("InvalidURI");
  }
}

export function parseTarget(url: string): RequestTarget {
  if (!url.startsWith("/")) throw s3Error("InvalidURI");
  const q = url.indexOf("?");
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? "" : url.slice(q + 1);
  const query: QueryParam[] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    query.push(
      eq === -1
        ? { name: decode(part), value: "" }
        : { name: decode(part.slice(0, eq)), value: decode(part.slice(eq + 1)) },
    );
  }
  const path = rawPath.slice(1);
  const slash = path.indexOf("/");
  const bucketPart = slash === -1 ? path : path.slice(0, slash);
  const keyPart = slash === -1 ? "" : path.slice(slash + 1);
  const target: RequestTarget = { rawPath, rawQuery, query };
  if (bucketPart !== "") {
    const bucket = decode(bucketPart);
    if (!BUCKET_NAME.test(bucket)) {
      throw s3Error("InvalidBucketName", "The specified bucket is not valid.", { BucketName: bucket });
    }
    target.bucket = bucket;
  }
  if (keyPart !== "") target.key = decode(keyPart);
  return target;
}

export function queryValue(target: RequestTarget, name: string): string | undefined {
  return target.query.find((p) => p.name === name)?.value;
}

export function hasQuery(target: RequestTarget, name: string): boolean {
  return target.query.some((p) => p.name === name);
}

/** RFC 3986 escaping as SigV4 and S3 use it: everything but A-Z a-z 0-9 - . _ ~ is encoded. */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A key as a URL path (each segment escaped, slashes kept), as the AWS SDK sends it. */
export function encodeKey(key: string): string {
  return key.split("/").map(uriEscape).join("/");
}

/**
 * Why s3rver cannot hold `key` faithfully, or undefined if it can. s3rver maps keys to files with
 * path.join, so `.`/`..` segments would escape the bucket (or the public prefix) and empty segments
 * would alias another key. Real S3 stores such keys literally; this stand-in refuses them.
 */
export function unsafeKeyReason(key: string): string | undefined {
  if (key.includes("\0")) return "Object keys must not contain NUL.";
  const segments = key.split("/");
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === "." || s === "..") return "The local S3 refuses object keys with '.' or '..' path segments.";
    if (s === "" && i !== segments.length - 1) return "The local S3 refuses object keys with empty path segments.";
  }
  if (Buffer.byteLength(key) > 1024) return "Your key is too long";
  return undefined;
}
