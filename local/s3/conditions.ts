/**
 * HTTP preconditions the AWS SDK relies on and s3rver ignores: If-Match / If-Unmodified-Since on
 * reads (the service pins a source to the ETag it saw first), x-amz-copy-source-if-* on CopyObject,
 * and If-None-Match: * / If-Match on writes (create-once semantics).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ObjectHead } from "./backend";
import { notImplementedHeader, s3Error } from "./s3-error";

const strip = (tag: string): string =>
  tag
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");

/** Whether an If-Match/If-None-Match header value (`*`, one tag or a list) matches `etag`. */
export function etagMatches(header: string, etag: string): boolean {
  const actual = strip(etag);
  return header.split(",").some((t) => t.trim() === "*" || strip(t) === actual);
}

function headerDate(headers: IncomingHttpHeaders, name: string): Date | undefined {
  const value = headers[name];
  if (typeof value !== "string") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// HTTP dates have one-second resolution.
const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}

const failed = (condition: string) => s3Error("PreconditionFailed", undefined, { Condition: condition });

export type ReadOutcome = "ok" | "not-modified";

/** GET/HEAD preconditions against the object actually served. Throws 412; returns whether to answer 304. */
export function checkReadPreconditions(headers: IncomingHttpHeaders, object: ObjectHead): ReadOutcome {
  const ifMatch = single(headers, "if-match");
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, object.etag)) throw failed("If-Match");
  } else {
    const since = headerDate(headers, "if-unmodified-since");
    if (since && object.lastModified && seconds(object.lastModified) > seconds(since))
      throw failed("If-Unmodified-Since");
  }
  const ifNoneMatch = single(headers, "if-none-match");
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, object.etag)) return "not-modified";
  } else {
    const since = headerDate(headers, "if-modified-since");
    if (since && object.lastModified && seconds(object.lastModified) <= seconds(since)) return "not-modified";
  }
  return "ok";
}

export const READ_PRECONDITION_HEADERS = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];

export function hasCopySourcePreconditions(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some((h) => h.startsWith("x-amz-copy-source-if-"));
}

/** CopyObject's x-amz-copy-source-if-* against the source object; throws 412 as S3 does. */
export function checkCopySourcePreconditions(headers: IncomingHttpHeaders, source: ObjectHead): void {
  const ifMatch = single(headers, "x-amz-copy-source-if-match");
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, source.etag)) throw failed("x-amz-copy-source-If-Match");
  } else {
    const since = headerDate(headers, "x-amz-copy-source-if-unmodified-since");
    if (since && source.lastModified && seconds(source.lastModified) > seconds(since)) {
      throw failed("x-amz-copy-source-If-Unmodified-Since");
    }
  }
  const ifNoneMatch = single(headers, "x-amz-copy-source-if-none-match");
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, source.etag)) throw failed("x-amz-copy-source-If-None-Match");
  } else {
    const since = headerDate(headers, "x-amz-copy-source-if-modified-since");
    if (since && source.lastModified && seconds(source.lastModified) <= seconds(since)) {
      throw failed("x-amz-copy-source-If-Modified-Since");
    }
  }
}

export function hasWritePreconditions(headers: IncomingHttpHeaders): boolean {
  return headers["if-match"] !== undefined || headers["if-none-match"] !== undefined;
}

/** Conditional writes (PutObject, CopyObject, CompleteMultipartUpload, DeleteObject) against the current object. */
export function checkWritePreconditions(headers: IncomingHttpHeaders, current: ObjectHead | undefined): void {
  const ifNoneMatch = single(headers, "if-none-match");
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*") {
      throw notImplementedHeader("If-None-Match");
    }
    if (current) throw failed("If-None-Match");
  }
  const ifMatch = single(headers, "if-match");
  if (ifMatch !== undefined) {
    if (!current) throw s3Error("NoSuchKey");
    if (!etagMatches(ifMatch, current.etag)) throw failed("If-Match");
  }
}
