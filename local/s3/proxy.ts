/**
 * Streams a request to s3rver and its answer back, both ways without buffering bodies (only error
 * bodies, a few hundred bytes, are read to add S3's RequestId). Hooks let the gate look at the
 * upstream status and headers before anything reaches the client (read preconditions, hiding
 * missing keys from anonymous readers).
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Backend } from "./backend";
import { S3Error, s3Error } from "./s3-error";

export interface ForwardOptions {
  method: string;
  /** Path and query for s3rver, encoded. */
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Readable;
  /** Sees a 200/206 before it is forwarded; may throw an S3Error or ask for a 304 instead. */
  inspect?: (upstream: IncomingMessage) => "ok" | "not-modified";
  /** Anonymous reads: S3 answers 403, not 404, for a missing key when the bucket policy grants no s3:ListBucket. */
  hideMissing?: boolean;
  /** Rewrites a small 200 XML body (listings) before it is sent. */
  rewrite?: (xml: string) => string;
}

// Hop-by-hop headers (RFC 9110 7.6.1) and what the gate itself consumes.
const REQUEST_HEADERS_DROPPED = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "host",
  "authorization",
]);
const RESPONSE_HEADERS_DROPPED = new Set(["connection", "keep-alive", "transfer-encoding"]);
const MAX_ERROR_BODY = 64 * 1024;
// A 1000-key listing with long keys stays well below this.
const MAX_REWRITTEN_BODY = 16 * 1024 * 1024;

/** The client's headers as s3rver should see them (no credentials, no hop-by-hop headers). */
export function forwardableHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !REQUEST_HEADERS_DROPPED.has(name)) out[name] = value;
  }
  return out;
}

function responseHeaders(upstream: IncomingMessage): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !RESPONSE_HEADERS_DROPPED.has(name)) out[name] = value;
  }
  return out;
}

async function readLimited(stream: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) {
      stream.destroy();
      return undefined;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

const RETRYABLE = new Set(["ECONNRESET", "EPIPE"]);

function isRetryable(error: unknown): boolean {
  return error instanceof Error && "code" in error && typeof error.code === "string" && RETRYABLE.has(error.code);
}

async function send(backend: Backend, o: ForwardOptions): Promise<IncomingMessage> {
  try {
    return await backend.request(o);
  } catch (error) {
    // A kept-alive socket closed by s3rver just as it was reused: safe to retry when there is no body.
    if (o.body === undefined && isRetryable(error)) return backend.request(o);
    throw error;
  }
}

/** Forwards to s3rver and streams the answer to `res`; resolves when the response is done. */
export async function forward(
  res: ServerResponse,
  backend: Backend,
  o: ForwardOptions,
  requestId: string,
): Promise<void> {
  let upstream: IncomingMessage;
  try {
    upstream = await send(backend, o);
  } catch (error) {
    if (error instanceof S3Error) throw error;
    throw s3Error("ServiceUnavailable", "The local S3 backend is unreachable.");
  }
  const status = upstream.statusCode ?? 500;
  if ((status === 200 || status === 206) && o.inspect) {
    let outcome: "ok" | "not-modified";
    try {
      outcome = o.inspect(upstream);
    } catch (error) {
      upstream.destroy();
      throw error;
    }
    if (outcome === "not-modified") {
      upstream.destroy();
      const headers: OutgoingHttpHeaders = {};
      for (const name of ["etag", "last-modified", "cache-control", "expires"]) {
        const v = upstream.headers[name];
        if (v !== undefined) headers[name] = v;
      }
      res.writeHead(304, headers).end();
      return;
    }
  }
  if (status === 404 && o.hideMissing) {
    upstream.resume();
    throw s3Error("AccessDenied");
  }
  const headers = responseHeaders(upstream);
  if (status >= 400 && o.method !== "HEAD") {
    // s3rver's error XML lacks RequestId/HostId, which S3 (and SDK error metadata) carry.
    const body = await readLimited(upstream, MAX_ERROR_BODY);
    const text = body?.toString("utf8");
    const patched =
      text !== undefined && text.includes("</Error>")
        ? text.replace("</Error>", `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`)
        : (text ?? "");
    headers["content-length"] = Buffer.byteLength(patched);
    res.writeHead(status, headers).end(patched);
    return;
  }
  if (status === 200 && o.rewrite) {
    const body = await readLimited(upstream, MAX_REWRITTEN_BODY);
    if (body === undefined) throw s3Error("InternalError", "Listing too large for the local S3 gate.");
    const text = o.rewrite(body.toString("utf8"));
    headers["content-length"] = Buffer.byteLength(text);
    res.writeHead(status, headers).end(text);
    return;
  }
  res.writeHead(status, headers);
  await pipeline(upstream, res);
}
