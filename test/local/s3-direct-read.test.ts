/**
 * The gate answers plain GET/HEAD of whole objects from s3rver's store (local/s3/direct-read.ts).
 * These tests hold it to s3rver's own answers: the same objects read through the gate and from a
 * second s3rver on the same data directory give the same status, headers and bytes.
 */
import { strict as assert } from "node:assert";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { Backend } from "../../local/s3/backend";
import { isDirectRead } from "../../local/s3/direct-read";
import { parseTarget } from "../../local/s3/request-target";
import { SOURCE_BUCKET, startFixture, THUMB_BUCKET, type Fixture } from "./s3-support";

/** Headers that legitimately differ between two servers (per-request ids, connection handling, CORS, dates). */
const VOLATILE = new Set(["date", "connection", "keep-alive", "x-amz-request-id", "x-amz-id-2", "vary", "transfer-encoding"]);

function stableHeaders(headers: Headers | IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: [string, string | string[] | undefined][] = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined || VOLATILE.has(name) || name.startsWith("access-control-")) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof S3ServiceException, `not an S3ServiceException: ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

describe("local S3: plain reads served from s3rver's store by the gate", () => {
  let f: Fixture;
  let raw: Backend;
  const body = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // several read chunks, not a multiple of the chunk size
  before(async () => {
    f = await startFixture();
    // A second s3rver on the same files: what s3rver itself answers for them.
    raw = await Backend.start(f.dataDir, [SOURCE_BUCKET, THUMB_BUCKET]);
    await f.client.send(
      new PutObjectCommand({
        Bucket: THUMB_BUCKET,
        Key: "thumbnails/a/b/256x256.jpg",
        Body: body,
        ContentType: "image/jpeg",
        CacheControl: "public, max-age=31536000, immutable",
        Metadata: { width: "256", height: "192" },
      }),
    );
    // Stored without a content type (s3rver answers binary/octet-stream).
    const res = await raw.request({
      method: "PUT",
      path: `/${THUMB_BUCKET}/thumbnails/untyped`,
      headers: { "content-length": "5" },
      body: Readable.from([Buffer.from("hello")]),
    });
    res.resume();
  });
  after(async () => {
    await raw.close();
    await f.close();
  });

  for (const [method, key] of [
    ["GET", "thumbnails/a/b/256x256.jpg"],
    ["HEAD", "thumbnails/a/b/256x256.jpg"],
    ["GET", "thumbnails/untyped"],
  ] as const) {
    it(`${method} ${key}: the same status, headers and bytes as s3rver`, async () => {
      const viaGate = await fetch(`${f.s3.endpoint}/${THUMB_BUCKET}/${key}`, { method });
      const fromS3rver = await raw.request({ method, path: `/${THUMB_BUCKET}/${key}`, headers: {} });
      const s3rverBody = await readAll(fromS3rver);
      assert.equal(viaGate.status, fromS3rver.statusCode);
      assert.deepEqual(stableHeaders(viaGate.headers), stableHeaders(fromS3rver.headers));
      assert.deepEqual(Buffer.from(await viaGate.arrayBuffer()), s3rverBody);
      if (method === "GET" && key.endsWith(".jpg")) assert.equal(s3rverBody.length, body.length);
    });
  }

  it("GetObject and HeadObject through the SDK (with its ?x-id query) return the stored object and metadata", async () => {
    const get = await f.client.send(new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg" }));
    assert.deepEqual(Buffer.from(await get.Body!.transformToByteArray()), body);
    assert.equal(get.ContentType, "image/jpeg");
    assert.equal(get.ContentLength, body.length);
    const head = await f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg" }));
    assert.deepEqual(head.Metadata, { width: "256", height: "192" });
    assert.equal(head.CacheControl, "public, max-age=31536000, immutable");
    assert.equal(head.ETag, get.ETag);
  });

  it("answers 304 for a matching If-None-Match and 412 for a failing If-Match", async () => {
    const { ETag } = await f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg" }));
    const notModified = await fetch(`${f.s3.endpoint}/${THUMB_BUCKET}/thumbnails/a/b/256x256.jpg`, { headers: { "if-none-match": ETag ?? "" } });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get("etag"), ETag);
    const err = await failure(f.client.send(new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg", IfMatch: '"0123"' })));
    assert.equal(err.$metadata.httpStatusCode, 412);
  });

  it("NoSuchKey (with the key) and NoSuchBucket for signed reads; 403 for anonymous reads of a missing public key", async () => {
    const missingKey = await failure(f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/none.jpg" })));
    assert.equal(missingKey.name, "NoSuchKey");
    assert.equal(missingKey.$metadata.httpStatusCode, 404);
    const head = await failure(f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/none.jpg" })));
    assert.equal(head.$metadata.httpStatusCode, 404);
    const missingBucket = await failure(f.client.send(new GetObjectCommand({ Bucket: "no-such-bucket", Key: "x" })));
    assert.equal(missingBucket.name, "NoSuchBucket");
    const anonymous = await fetch(`${f.s3.endpoint}/${THUMB_BUCKET}/thumbnails/none.jpg`);
    assert.equal(anonymous.status, 403);
    assert.match(await anonymous.text(), /<Code>AccessDenied<\/Code>/);
  });

  it("takes only whole-object reads: ranges, sub-resources and overrides still go to s3rver", () => {
    const req = (method: string, headers: Record<string, string> = {}) => ({ method, headers });
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?x-id=GetObject")), true);
    assert.equal(isDirectRead(req("HEAD"), parseTarget("/b-1/k")), true);
    assert.equal(isDirectRead(req("GET", { range: "bytes=0-1" }), parseTarget("/b-1/k")), false);
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?acl")), false);
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?response-content-type=text/plain")), false);
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?versionId=1")), false);
    assert.equal(isDirectRead(req("PUT"), parseTarget("/b-1/k")), false);
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1")), false);
  });

  it("a Range read (through s3rver) still works", async () => {
    const part = await f.client.send(new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg", Range: "bytes=0-9" }));
    assert.equal(part.ContentLength, 10);
    assert.equal(part.ContentRange, `bytes 0-9/${body.length}`);
  });
});
