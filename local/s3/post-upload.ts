/**
 * POST /<bucket> (browser form upload). The fields before `file` are checked against the signed
 * policy (post-policy.ts) before any byte of the file is accepted; the file is then streamed to a
 * private temporary file while its bytes are counted, refused with EntityTooLarge the moment it
 * passes the policy's maximum, and only a complete, in-range upload is handed to s3rver. Nothing is
 * stored on any refusal, and memory stays bounded whatever the client sends.
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { validateHeaderValue, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import busboy from "busboy";
import type { Backend } from "./backend";
import { lockKey, type KeyLocks } from "./key-locks";
import { authenticatePost, checkPolicy, type FormField } from "./post-policy";
import { encodeKey, unsafeKeyReason } from "./request-target";
import { escapeXml, noSuchBucket, s3Error, S3Error } from "./s3-error";
import type { SigningIdentity } from "./sigv4";

export interface UploadContext {
  identity: SigningIdentity;
  backend: Backend;
  locks: KeyLocks;
  /** Private directory for in-flight uploads (never s3rver's data directory). */
  tmpDir: string;
  now: () => Date;
}

// S3 limits the form fields preceding the file to 20 KB (MaxPostPreDataLengthExceededError).
const MAX_PRE_DATA_BYTES = 20 * 1024;
// After a refusal the rest of the body is read and dropped so the client sees the answer; past this, the connection is
// cut.
const MAX_DISCARD_BYTES = 64 * 1024 * 1024;
// Form fields that become object metadata, as S3 stores them.
const METADATA_FIELDS = [
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-type",
  "expires",
  "x-amz-storage-class",
  "x-amz-website-redirect-location",
];

interface FilePart {
  stream: Readable;
  filename?: string;
}

const malformed = () =>
  s3Error("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.");

/**
 * Reads the multipart form up to `file`. Resolves with the file part (undefined if none) and a promise for the end of
 * the form.
 */
function parseForm(
  req: IncomingMessage,
  fields: Map<string, FormField>,
): { file: Promise<FilePart | undefined>; done: Promise<void>; stop: () => void } {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fieldSize: MAX_PRE_DATA_BYTES, fieldNameSize: 1024, parts: 1000 } });
  } catch {
    throw malformed();
  }
  let fileSeen = false;
  let preData = 0;
  let failDone: (e: S3Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    bb.on("close", () => resolve());
    failDone = reject;
  });
  done.catch(() => undefined); // observed through `file` or awaited later
  const file = new Promise<FilePart | undefined>((resolve, reject) => {
    const fail = (e: S3Error) => {
      reject(e);
      failDone(e);
    };
    bb.on("field", (name, value, info) => {
      if (fileSeen) return; // S3 ignores everything after the file
      preData += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (info.nameTruncated || info.valueTruncated || preData > MAX_PRE_DATA_BYTES) {
        fail(
          s3Error(
            "MaxPostPreDataLengthExceededError",
            "Your POST request fields preceding the upload file were too large.",
          ),
        );
        return;
      }
      const lower = name.toLowerCase();
      if (lower === "file") {
        // A file sent as a plain field (no filename): its text is the content.
        fileSeen = true;
        resolve({ stream: Readable.from([Buffer.from(value, "utf8")]) });
        return;
      }
      if (fields.has(lower)) {
        fail(s3Error("InvalidArgument", `POST form fields must not repeat: ${name}`, { ArgumentName: name }));
        return;
      }
      fields.set(lower, { name, value });
    });
    bb.on("file", (name, stream, info) => {
      if (fileSeen || name.toLowerCase() !== "file") {
        // Extra file parts: dropped; one before `file` still counts as a field the policy must cover.
        if (!fileSeen && !fields.has(name.toLowerCase()))
          fields.set(name.toLowerCase(), { name, value: info.filename ?? "" });
        stream.resume();
        return;
      }
      fileSeen = true;
      resolve({ stream, filename: info.filename });
    });
    bb.on("error", () => fail(malformed()));
    bb.on("close", () => resolve(undefined));
    req.on("close", () => {
      if (req.complete) return;
      // The client went away: fail the form and the file stream being received (busboy destroys it).
      const error = s3Error("IncompleteBody");
      fail(error);
      bb.destroy(error);
    });
  });
  req.pipe(bb);
  const stop = () => {
    req.unpipe(bb);
    let dropped = 0;
    req.on("data", (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > MAX_DISCARD_BYTES) req.destroy();
    });
    req.resume();
  };
  return { file, done, stop };
}

/** Streams the file to `tmpPath`, counting bytes; rejects with EntityTooLarge as soon as `maxBytes` is passed. */
function receiveFile(stream: Readable, tmpPath: string, maxBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(tmpPath, { mode: 0o600 });
    let size = 0;
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      out.destroy();
      reject(e);
    };
    stream.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        fail(
          s3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", {
            MaxSizeAllowed: maxBytes,
          }),
        );
        return;
      }
      if (!out.write(chunk)) {
        stream.pause();
        out.once("drain", () => stream.resume());
      }
    });
    stream.on("end", () => {
      if (!failed) out.end(() => resolve(size));
    });
    stream.on("error", () => fail(malformed()));
    out.on("error", fail);
  });
}

function metadataHeaders(fields: ReadonlyMap<string, FormField>): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { "content-type": "binary/octet-stream" };
  for (const [name, field] of fields) {
    if (!METADATA_FIELDS.includes(name) && !name.startsWith("x-amz-meta-")) continue;
    try {
      validateHeaderValue(name, field.value);
    } catch {
      throw s3Error("InvalidArgument", `Invalid value for form field ${field.name}`, { ArgumentName: field.name });
    }
    headers[name] = field.value;
  }
  return headers;
}

async function store(
  ctx: UploadContext,
  bucket: string,
  key: string,
  tmpPath: string,
  size: number,
  headers: OutgoingHttpHeaders,
): Promise<string> {
  const release = await ctx.locks.acquire([{ key: lockKey(bucket, key), write: true }]);
  try {
    const res = await ctx.backend.request({
      method: "PUT",
      path: `/${bucket}/${encodeKey(key)}`,
      headers: { ...headers, "content-length": String(size) },
      body: createReadStream(tmpPath),
    });
    res.resume();
    if (res.statusCode === 404) throw noSuchBucket(bucket);
    const etag = res.headers.etag;
    if (res.statusCode !== 200 || etag === undefined) throw s3Error("InternalError");
    return etag;
  } finally {
    release();
  }
}

function respond(
  req: IncomingMessage,
  res: ServerResponse,
  fields: ReadonlyMap<string, FormField>,
  bucket: string,
  key: string,
  etag: string,
): void {
  const location = `http://${req.headers.host ?? "localhost"}/${bucket}/${encodeKey(key)}`;
  res.setHeader("ETag", etag);
  const redirect = fields.get("success_action_redirect")?.value ?? fields.get("redirect")?.value;
  if (redirect && URL.canParse(redirect)) {
    const url = new URL(redirect);
    url.searchParams.append("bucket", bucket);
    url.searchParams.append("key", key);
    url.searchParams.append("etag", etag);
    res.writeHead(303, { Location: url.href, "Content-Length": "0" }).end();
    return;
  }
  res.setHeader("Location", location);
  const status = fields.get("success_action_status")?.value;
  if (status === "201") {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<PostResponse><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucket)}</Bucket>` +
      `<Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag></PostResponse>`;
    res.writeHead(201, { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(body) }).end(body);
    return;
  }
  res.writeHead(status === "200" ? 200 : 204, { "Content-Length": "0" }).end();
}

/** Handles a form upload to `bucket`; throws the S3Error to answer on refusal (nothing stored then). */
export async function handlePostUpload(
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  ctx: UploadContext,
): Promise<void> {
  if (!/^multipart\/form-data/i.test(req.headers["content-type"] ?? "")) {
    throw s3Error("PreconditionFailed", undefined, {
      Condition: "Bucket POST must be of the enclosure-type multipart/form-data",
    });
  }
  const fields = new Map<string, FormField>();
  const form = parseForm(req, fields);
  let part: FilePart | undefined;
  let tmpPath: string | undefined;
  try {
    part = await form.file;
    const policy = await authenticatePost(fields, ctx.identity);
    const grant = checkPolicy(policy, fields, bucket, ctx.now());
    if (!part) {
      throw s3Error("IncorrectNumberOfFilesInPostRequest", "POST requires exactly one file upload per request.", {
        ArgumentName: "file",
        ArgumentValue: 0,
      });
    }
    const key = grant.key.includes("${filename}")
      ? grant.key.replaceAll("${filename}", part.filename ?? "")
      : grant.key;
    const unsafe = unsafeKeyReason(key);
    if (unsafe) throw s3Error("InvalidArgument", unsafe, { ArgumentName: "key", ArgumentValue: key });
    const headers = metadataHeaders(fields);
    tmpPath = path.join(ctx.tmpDir, randomUUID());
    const size = await receiveFile(part.stream, tmpPath, grant.maxBytes);
    if (size < grant.minBytes) {
      throw s3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", {
        ProposedSize: size,
        MinSizeAllowed: grant.minBytes,
      });
    }
    await form.done; // the whole form arrived well-formed: only now is anything stored
    const etag = await store(ctx, bucket, key, tmpPath, size, headers);
    respond(req, res, fields, bucket, key, etag);
  } catch (error) {
    part?.stream.resume();
    form.stop();
    throw error;
  } finally {
    if (tmpPath !== undefined) await unlink(tmpPath).catch(() => undefined);
  }
}
