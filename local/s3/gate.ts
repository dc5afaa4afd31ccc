/**
 * The HTTP gate in front of s3rver: one handler that makes the local S3 answer like S3 where the
 * product depends on it. In order: fault injection, CORS preflights, browser POST uploads, SigV4
 * or anonymous access, then the request goes to s3rver with the fixes s3rver lacks (preconditions,
 * aws-chunked bodies, atomic per-key writes, safe keys); reads of an object's content, whole or a
 * Range of it, and metadata-keeping copies are done on s3rver's files in-process (direct-read.ts,
 * direct-copy.ts).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { authKind, checkAnonymous, type PublicPrefix } from "./access";
import { AwsChunkedDecoder } from "./aws-chunked";
import type { Backend } from "./backend";
import {
  checkCopySourcePreconditions,
  checkReadPreconditions,
  checkWritePreconditions,
  hasCopySourcePreconditions,
  hasWritePreconditions,
  READ_PRECONDITION_HEADERS,
} from "./conditions";
import { answerPreflight, applyCors, type CorsRules } from "./cors";
import { isDirectCopy, serveDirectCopy } from "./direct-copy";
import { isDirectRead, serveDirectRead } from "./direct-read";
import type { Faults } from "./faults";
import { lockKey, type KeyLocks, type LockRequest } from "./key-locks";
import { isListObjectsV2, planListObjectsV2 } from "./list-objects-v2";
import { handlePostUpload } from "./post-upload";
import { forward, forwardableHeaders } from "./proxy";
import { AUTH_QUERY, encodeKey, hasQuery, parseTarget, unsafeKeyReason, type RequestTarget } from "./request-target";
import { newRequestId, notImplementedHeader, S3Error, s3Error, sendS3Error, toS3Error } from "./s3-error";
import { verifyHeaderSignature, verifyQuerySignature, type SigningIdentity } from "./sigv4";

export interface GateConfig {
  identity: SigningIdentity;
  publicRead: readonly PublicPrefix[];
  cors: CorsRules;
  backend: Backend;
  faults: Faults;
  locks: KeyLocks;
  tmpDir: string;
  now: () => Date;
}

// Queries naming a sub-resource of an object rather than its content (no content lock, no preconditions).
const OBJECT_SUBRESOURCES = [
  "acl",
  "tagging",
  "uploadId",
  "uploads",
  "partNumber",
  "retention",
  "legal-hold",
  "torrent",
  "attributes",
];

function backendPath(target: RequestTarget, query?: string): string {
  let path = "/";
  if (target.bucket !== undefined) path += target.bucket;
  if (target.key !== undefined) path += `/${encodeKey(target.key)}`;
  else if (target.bucket !== undefined && target.rawPath.endsWith("/")) path += "/";
  query ??= target.rawQuery
    .split("&")
    .filter((part) => {
      if (part === "") return false;
      const eq = part.indexOf("=");
      return !AUTH_QUERY.has(decodeURIComponent(eq === -1 ? part : part.slice(0, eq)));
    })
    .join("&");
  return query === "" ? path : `${path}?${query}`;
}

interface CopySource {
  bucket: string;
  key: string;
}

/** Parses x-amz-copy-source (`[/]bucket/key[?versionId=..]`, URL-encoded as the SDK docs ask). */
function parseCopySource(value: string): CopySource {
  const withoutVersion = value.split("?")[0] ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutVersion.startsWith("/") ? withoutVersion.slice(1) : withoutVersion);
  } catch {
    throw s3Error("InvalidArgument", "Invalid copy source encoding", { ArgumentName: "x-amz-copy-source" });
  }
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) {
    throw s3Error("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", {
      ArgumentName: "x-amz-copy-source",
    });
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

function isAwsChunked(req: IncomingMessage): boolean {
  const encoding = req.headers["content-encoding"];
  const sha = req.headers["x-amz-content-sha256"];
  return (
    (typeof encoding === "string" && encoding.split(",").some((e) => e.trim() === "aws-chunked")) ||
    (typeof sha === "string" && sha.startsWith("STREAMING-"))
  );
}

/** Replaces an aws-chunked body by a decoder and fixes the headers s3rver would otherwise store. */
function decodeAwsChunked(req: IncomingMessage, headers: OutgoingHttpHeaders): Readable {
  const declared = req.headers["x-amz-decoded-content-length"];
  const length = typeof declared === "string" && /^[0-9]+$/.test(declared) ? Number(declared) : undefined;
  const encoding = (req.headers["content-encoding"] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "" && e !== "aws-chunked");
  if (encoding.length > 0) headers["content-encoding"] = encoding.join(",");
  else delete headers["content-encoding"];
  delete headers["x-amz-decoded-content-length"];
  delete headers["x-amz-trailer"];
  delete headers["content-length"];
  if (length !== undefined) headers["content-length"] = String(length);
  const decoder = new AwsChunkedDecoder(length);
  req.pipe(decoder);
  req.on("error", (e) => decoder.destroy(e));
  return decoder;
}

async function proxyToBackend(
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
  cfg: GateConfig,
  anonymous: boolean,
  requestId: string,
): Promise<void> {
  const method = req.method ?? "GET";
  const { bucket, key } = target;
  if (key !== undefined) {
    const unsafe = unsafeKeyReason(key);
    if (unsafe) throw s3Error("InvalidArgument", unsafe, { ArgumentName: "key" });
  }
  const headers = forwardableHeaders(req.headers);
  const onContent = bucket !== undefined && key !== undefined && !OBJECT_SUBRESOURCES.some((q) => hasQuery(target, q));
  const isRead = onContent && (method === "GET" || method === "HEAD");
  const isWrite =
    bucket !== undefined &&
    key !== undefined &&
    ((onContent && (method === "PUT" || method === "DELETE")) || (method === "POST" && hasQuery(target, "uploadId")));

  const locks: LockRequest[] = [];
  if (bucket !== undefined && key !== undefined && (isRead || isWrite))
    locks.push({ key: lockKey(bucket, key), write: isWrite });
  let copySource: CopySource | undefined;
  const copyHeader = req.headers["x-amz-copy-source"];
  if (method === "PUT" && typeof copyHeader === "string") {
    copySource = parseCopySource(copyHeader);
    const unsafe = unsafeKeyReason(copySource.key);
    if (unsafe) throw s3Error("InvalidArgument", unsafe, { ArgumentName: "x-amz-copy-source" });
    // s3rver decodes this header with decodeURI; encodeURI round-trips every key through it.
    headers["x-amz-copy-source"] = `/${copySource.bucket}/${encodeURI(copySource.key)}`;
    if (onContent) locks.push({ key: lockKey(copySource.bucket, copySource.key), write: false });
  }

  let body: Readable | undefined;
  if (method === "PUT" || method === "POST") body = isAwsChunked(req) ? decodeAwsChunked(req, headers) : req;

  const release = await cfg.locks.acquire(locks);
  res.once("close", release);
  try {
    if (copySource && hasCopySourcePreconditions(req.headers)) {
      const source = await cfg.backend.head(copySource.bucket, copySource.key);
      if (source) checkCopySourcePreconditions(req.headers, source);
    }
    if (isWrite && bucket !== undefined && key !== undefined && hasWritePreconditions(req.headers)) {
      checkWritePreconditions(req.headers, await cfg.backend.head(bucket, key));
    }
    if (isWrite && bucket !== undefined && key !== undefined && isDirectCopy(req, target, copySource) && copySource) {
      if (await serveDirectCopy(req, res, cfg.backend, copySource, { bucket, key })) return;
    }
    if (isRead && bucket !== undefined && key !== undefined && isDirectRead(req, target)) {
      await serveDirectRead(req, res, { ...target, bucket, key }, cfg.backend, { hideMissing: anonymous });
      return;
    }
    // s3rver resolves ranges wrongly (byte-range.ts): a ranged read it would answer (response-* overrides,
    // versionId) is refused rather than answered with the wrong bytes.
    if (isRead && req.headers.range !== undefined) throw notImplementedHeader("Range");
    if (isWrite || isRead) for (const h of READ_PRECONDITION_HEADERS) delete headers[h];
    const listV2 = isListObjectsV2(method, target)
      ? planListObjectsV2(target, (name) => !AUTH_QUERY.has(name))
      : undefined;
    await forward(
      res,
      cfg.backend,
      {
        method,
        path: backendPath(target, listV2?.backendQuery),
        headers,
        body,
        hideMissing: anonymous,
        rewrite: listV2?.rewrite,
        inspect: isRead
          ? (upstream) => {
              const etag = upstream.headers.etag;
              const modified = upstream.headers["last-modified"];
              if (etag === undefined) return "ok";
              return checkReadPreconditions(req.headers, {
                etag,
                lastModified: modified === undefined ? undefined : new Date(modified),
              });
            }
          : undefined,
      },
      requestId,
    );
  } finally {
    release();
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, cfg: GateConfig, requestId: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const target = parseTarget(req.url ?? "/");
  const fault = cfg.faults.take({ method, bucket: target.bucket, key: target.key });
  if (fault) {
    await fault.before?.();
    throw new S3Error(fault.code, fault.status, fault.message);
  }
  if (method === "OPTIONS") {
    answerPreflight(req, res, cfg.cors, target.bucket);
    return;
  }
  applyCors(req, res, cfg.cors, target.bucket);
  if (method === "POST" && target.bucket !== undefined && target.key === undefined && target.query.length === 0) {
    await handlePostUpload(req, res, target.bucket, cfg);
    return;
  }
  const auth = authKind(req, target);
  if (auth === "header") await verifyHeaderSignature(req, target, cfg.identity, cfg.now());
  else if (auth === "query") await verifyQuerySignature(req, target, cfg.identity, cfg.now());
  else checkAnonymous(method, target, cfg.publicRead);
  await proxyToBackend(req, res, target, cfg, auth === "anonymous", requestId);
}

/** The request listener of the gate's HTTP server. */
export function createGate(cfg: GateConfig): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = newRequestId();
    res.setHeader("x-amz-request-id", requestId);
    res.setHeader("x-amz-id-2", requestId);
    handle(req, res, cfg, requestId).catch((error: unknown) => {
      if (res.headersSent) {
        // Mid-stream failure (usually the client went away): nothing left to tell it.
        res.destroy();
        return;
      }
      if (!(error instanceof S3Error)) console.error("local S3 gate: unexpected failure", error);
      // A refused request's body may still be arriving (or be piped into a decoder nobody reads):
      // drop it so the kept-alive connection can carry the next request.
      if (!req.complete) {
        req.unpipe();
        req.resume();
      }
      sendS3Error(res, toS3Error(error), requestId);
    });
  };
}
