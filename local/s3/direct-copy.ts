/**
 * CopyObject that keeps the source's metadata (the workflow's StorePublic publishes staged
 * thumbnails this way), done by the gate on s3rver's files in this process. s3rver's own copy
 * (stores/filesystem.js copyObject) copies the object, its metadata.json and its md5 one after
 * the other with fs-extra, which stats every parent directory on the way: some twenty thread-pool
 * round trips, ~3 ms here, behind an HTTP hop. The result on disk is the same (the same three files,
 * at the paths s3rver's store names); the answer is s3rver's CopyObjectResult.
 *
 * Anything else (REPLACE metadata, copies onto themselves, part copies, a source whose md5 or
 * metadata file is missing) goes to s3rver as before: `serveDirectCopy` returns false for those.
 * Preconditions and the per-key locks are the gate's, taken before this runs.
 */
import { access, copyFile, mkdir, readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { Backend } from "./backend";
import type { RequestTarget } from "./request-target";
import { escapeXml, noSuchBucket, noSuchKey } from "./s3-error";

export interface ObjectRef {
  bucket: string;
  key: string;
}

const NEUTRAL_QUERY = new Set(["x-id"]);

/** A whole-object copy that keeps the source's metadata, between two different keys. */
export function isDirectCopy(
  req: Pick<IncomingMessage, "method" | "headers">,
  target: RequestTarget,
  source: ObjectRef | undefined,
): boolean {
  const directive = req.headers["x-amz-metadata-directive"];
  return (
    req.method === "PUT" &&
    source !== undefined &&
    target.bucket !== undefined &&
    target.key !== undefined &&
    target.query.every((p) => NEUTRAL_QUERY.has(p.name)) &&
    (directive === undefined || directive === "COPY") &&
    req.headers["x-amz-copy-source-range"] === undefined &&
    !(source.bucket === target.bucket && source.key === target.key)
  );
}

const isNotFound = (error: unknown): boolean => error instanceof Error && "code" in error && error.code === "ENOENT";

/**
 * Copies `source` to `dest` and answers 200 with CopyObjectResult, or throws S3's refusal
 * (NoSuchBucket, NoSuchKey). Returns false, having written nothing, when s3rver should do it.
 */
export async function serveDirectCopy(
  req: IncomingMessage,
  res: ServerResponse,
  backend: Backend,
  source: ObjectRef,
  dest: ObjectRef,
): Promise<boolean> {
  const { store } = backend;
  const file = (ref: ObjectRef, resource: string): string => store.getResourcePath(ref.bucket, ref.key, resource);
  const [destBucket, sourceBucket, sourceFound] = await Promise.all([
    store.getBucket(dest.bucket),
    store.getBucket(source.bucket),
    stat(file(source, "object")).then(
      () => true,
      (error: unknown) => {
        if (isNotFound(error)) return false;
        throw error;
      },
    ),
  ]);
  // The order of s3rver's checks: the destination bucket (router), then the source bucket and key.
  if (!destBucket) throw noSuchBucket(dest.bucket);
  if (!sourceBucket) throw noSuchBucket(source.bucket);
  if (!sourceFound) throw noSuchKey(source.key);
  let md5: string;
  try {
    [md5] = await Promise.all([readFile(file(source, "object.md5"), "utf8"), access(file(source, "metadata.json"))]);
  } catch (error) {
    if (isNotFound(error)) return false; // s3rver's own handling of such an object, whatever it is
    throw error;
  }
  req.resume(); // a copy has no body; let the connection carry the next request
  await mkdir(path.dirname(file(dest, "object")), { recursive: true });
  await Promise.all(["object", "metadata.json", "object.md5"].map((r) => copyFile(file(source, r), file(dest, r))));
  // s3rver answers the copy's Last-Modified from the new file (HTTP-date precision) and its md5.
  const modified = new Date((await stat(file(dest, "object"))).mtime.toUTCString());
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<CopyObjectResult><LastModified>${modified.toISOString()}</LastModified><ETag>${escapeXml(JSON.stringify(md5)).replace(/"/g, "&quot;")}</ETag></CopyObjectResult>`;
  res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
  return true;
}
