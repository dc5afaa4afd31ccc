/**
 * Object reads (GET or HEAD of an object's content, whole or a Range of it; no sub-resource or
 * override query) answered by the gate from s3rver's store in this process, instead of over HTTP
 * through s3rver's koa stack. The workflow's reads are all of this kind (HEAD of the upload and of the
 * thumbnail, GET of the upload); the detour through s3rver's HTTP server cost about a millisecond per
 * HEAD and a second copy of every body through a socket (see bench/README.md). Ranges are resolved
 * here as S3 resolves them (byte-range.ts), which s3rver does not. Everything else still goes to s3rver.
 *
 * The answer is s3rver's (controllers/object.js getObject): the same metadata from its store, the
 * same headers (Accept-Ranges, the stored content-type/cache-control/x-amz-meta-*, ETag,
 * Last-Modified, Content-Length), NoSuchBucket/NoSuchKey with their details. The body goes out in
 * 1 MiB reads into reused buffers (file-sender.ts). Two of s3rver's
 * middlewares are not applied: bucket CORS and static-website configurations, which the local S3
 * never sets (the gate answers CORS itself). Preconditions are the gate's (conditions.ts), as on
 * the proxied path, and are checked before the range, as RFC 9110 orders them.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Backend } from "./backend";
import { contentRange, resolveByteRange, type ByteRange } from "./byte-range";
import { checkReadPreconditions } from "./conditions";
import { ResponseClosed, sendFile } from "./file-sender";
import { AUTH_QUERY, type RequestTarget } from "./request-target";
import { invalidRange, noSuchBucket, noSuchKey, s3Error } from "./s3-error";

const isNotFound = (error: unknown): boolean => error instanceof Error && "code" in error && error.code === "ENOENT";

/**
 * Query parameters that do not change a read: the SDK's operation hint (`?x-id=GetObject`), and a
 * presigned URL's signature, which the gate has verified by now (s3rver never sees it either).
 */
const isNeutralQuery = (name: string): boolean => name === "x-id" || AUTH_QUERY.has(name);

/** Whether the request is a read of an object's content (whole or ranged) the gate answers from the store. */
export function isDirectRead(req: Pick<IncomingMessage, "method">, target: RequestTarget): boolean {
  const method = req.method ?? "GET";
  return (
    (method === "GET" || method === "HEAD") &&
    target.bucket !== undefined &&
    target.key !== undefined &&
    target.query.every((p) => isNeutralQuery(p.name))
  );
}

/**
 * The headers s3rver sends for `metadata` (which also carries etag, last-modified and
 * content-length), with its default type for objects stored without one (models/object.js); for a
 * part, its length and Content-Range.
 */
function objectHeaders(metadata: Record<string, string | number>, range: ByteRange, size: number): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { "accept-ranges": "bytes", "content-type": "binary/octet-stream" };
  for (const [name, value] of Object.entries(metadata)) headers[name] = value;
  if (range.kind === "part") {
    headers["content-length"] = range.end - range.start + 1;
    headers["content-range"] = contentRange(range, size);
  }
  return headers;
}

export interface DirectReadOptions {
  /** Anonymous reads: a missing key is 403 (no s3:ListBucket), as on the proxied path. */
  hideMissing: boolean;
}

/**
 * Answers a direct read; throws an S3Error for anything S3 refuses (412, 416, 404, 403). The caller holds
 * the key's read lock until this resolves, i.e. until the body is sent.
 */
export async function serveDirectRead(
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget & { bucket: string; key: string },
  backend: Backend,
  options: DirectReadOptions,
): Promise<void> {
  const method = req.method ?? "GET";
  const { bucket, key } = target;
  let metadata: Record<string, string | number>;
  try {
    metadata = await backend.store.getMetadata(bucket, key);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    // Only a missing object needs the bucket looked at (s3rver checks the bucket first; the answer is the same).
    if (options.hideMissing) throw s3Error("AccessDenied");
    throw (await backend.store.getBucket(bucket)) ? noSuchKey(key) : noSuchBucket(bucket);
  }
  const etag = String(metadata["etag"] ?? "");
  const modified = metadata["last-modified"];
  const outcome = checkReadPreconditions(req.headers, {
    etag,
    lastModified: modified === undefined ? undefined : new Date(modified),
  });
  if (outcome === "not-modified") {
    const headers: OutgoingHttpHeaders = {};
    for (const name of ["etag", "last-modified", "cache-control", "expires"]) {
      const v = metadata[name];
      if (v !== undefined) headers[name] = v;
    }
    res.writeHead(304, headers).end();
    return;
  }
  const size = Number(metadata["content-length"] ?? 0);
  const requested = req.headers.range;
  const range = resolveByteRange(requested, size);
  if (range.kind === "unsatisfiable") {
    // A 416 names the size it could not satisfy (RFC 9110 15.5.17); the body is S3's InvalidRange.
    res.setHeader("content-range", contentRange(range, size));
    throw invalidRange(requested ?? "", size);
  }
  const status = range.kind === "part" ? 206 : 200;
  if (method === "HEAD") {
    res.writeHead(status, objectHeaders(metadata, range, size)).end();
    return;
  }
  // Opened before the status is sent, so a file that vanished is still a clean 404. The key's read
  // lock, held by the caller, keeps writes through the gate out until the body is sent.
  let file: FileHandle;
  try {
    file = await open(backend.store.getResourcePath(bucket, key, "object"), "r");
  } catch (error) {
    throw isNotFound(error) ? noSuchKey(key) : error;
  }
  try {
    res.writeHead(status, objectHeaders(metadata, range, size));
    await sendFile(file, res, range.kind === "part" ? range : undefined);
  } catch (error) {
    // Headers are out: the only honest signal left is to cut the connection.
    if (!(error instanceof ResponseClosed)) res.destroy();
  } finally {
    await file.close();
  }
}
