/**
 * The gate answers GET/HEAD of objects (whole or ranged) from s3rver's store (local/s3/direct-read.ts)
 * and does metadata-keeping copies on s3rver's files (direct-copy.ts). These tests hold both to
 * s3rver's own answers: a second s3rver on the same data directory reads the same objects with the
 * same status, headers and bytes, and a copy it makes leaves the same files as the gate's.
 */
import { strict as assert } from "node:assert";
import { request, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { readFile } from "node:fs/promises";
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Backend } from "../../local/s3/backend";
import { isDirectCopy } from "../../local/s3/direct-copy";
import { isDirectRead } from "../../local/s3/direct-read";
import { parseTarget } from "../../local/s3/request-target";
import { SOURCE_BUCKET, startFixture, THUMB_BUCKET, type Fixture, failure } from "./s3-support";

/** Headers that legitimately differ between two servers (per-request ids, connection handling, CORS, dates). */
const VOLATILE = new Set([
  "date",
  "connection",
  "keep-alive",
  "x-amz-request-id",
  "x-amz-id-2",
  "vary",
  "transfer-encoding",
]);

function stableHeaders(headers: Headers | IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: [string, string | string[] | undefined][] =
    headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
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

describe("local S3: plain reads and copies done by the gate on s3rver's files", () => {
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
    const head = await f.client.send(
      new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg" }),
    );
    assert.deepEqual(head.Metadata, { width: "256", height: "192" });
    assert.equal(head.CacheControl, "public, max-age=31536000, immutable");
    assert.equal(head.ETag, get.ETag);
  });

  it("answers 304 for a matching If-None-Match and 412 for a failing If-Match", async () => {
    const { ETag } = await f.client.send(
      new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg" }),
    );
    const notModified = await fetch(`${f.s3.endpoint}/${THUMB_BUCKET}/thumbnails/a/b/256x256.jpg`, {
      headers: { "if-none-match": ETag ?? "" },
    });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get("etag"), ETag);
    const err = await failure(
      f.client.send(
        new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg", IfMatch: '"0123"' }),
      ),
    );
    assert.equal(err.$metadata.httpStatusCode, 412);
  });

  it("NoSuchKey (with the key) and NoSuchBucket for signed reads; 403 for anonymous reads of a missing public key", async () => {
    const missingKey = await failure(
      f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/none.jpg" })),
    );
    assert.equal(missingKey.name, "NoSuchKey");
    assert.equal(missingKey.$metadata.httpStatusCode, 404);
    const head = await failure(
      f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/none.jpg" })),
    );
    assert.equal(head.$metadata.httpStatusCode, 404);
    const missingBucket = await failure(f.client.send(new GetObjectCommand({ Bucket: "no-such-bucket", Key: "x" })));
    assert.equal(missingBucket.name, "NoSuchBucket");
    const anonymous = await fetch(`${f.s3.endpoint}/${THUMB_BUCKET}/thumbnails/none.jpg`);
    assert.equal(anonymous.status, 403);
    assert.match(await anonymous.text(), /<Code>AccessDenied<\/Code>/);
  });

  it("takes reads of content, whole or ranged, signed or presigned: sub-resources and overrides still go to s3rver", () => {
    const req = (method: string) => ({ method });
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?x-id=GetObject")), true);
    assert.equal(isDirectRead(req("HEAD"), parseTarget("/b-1/k")), true);
    assert.equal(
      isDirectRead(req("GET"), parseTarget("/b-1/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab")),
      true,
    );
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?acl")), false);
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?response-content-type=text/plain")), false);
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1/k?versionId=1")), false);
    assert.equal(isDirectRead(req("PUT"), parseTarget("/b-1/k")), false);
    assert.equal(isDirectRead(req("GET"), parseTarget("/b-1")), false);
  });

  it("a reader that goes away mid-body releases the key: a write to it completes", async () => {
    const key = "thumbnails/abandoned.bin";
    await f.client.send(
      new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: key, Body: Buffer.alloc(8 * 1024 * 1024, 1) }),
    );
    await new Promise<void>((resolve, reject) => {
      const req = request(`${f.s3.endpoint}/${THUMB_BUCKET}/${key}`, (res) => {
        res.once("data", () => {
          req.destroy(); // after the first chunk, with megabytes still to send
          resolve();
        });
      });
      req.on("error", (error: unknown) => {
        if (!(error instanceof Error && "code" in error && error.code === "ECONNRESET")) reject(error);
      });
      req.end();
    });
    // The PUT needs the write lock the abandoned GET held.
    await f.client.send(new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: key, Body: Buffer.from("replaced") }), {
      abortSignal: AbortSignal.timeout(5000),
    });
    const get = await f.client.send(new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: key }));
    assert.equal(await get.Body!.transformToString(), "replaced");
  });

  it("CopyObject (metadata kept) leaves the same files and answers as s3rver's own copy", async () => {
    const source = "thumbnails/a/b/256x256.jpg";
    const viaGate = await f.client.send(
      new CopyObjectCommand({
        Bucket: THUMB_BUCKET,
        Key: "thumbnails/copy/gate.jpg",
        CopySource: `${THUMB_BUCKET}/${source}`,
        MetadataDirective: "COPY",
      }),
    );
    const viaS3rver = await raw.request({
      method: "PUT",
      path: `/${THUMB_BUCKET}/thumbnails/copy/s3rver.jpg`,
      headers: { "x-amz-copy-source": `/${THUMB_BUCKET}/${source}` },
    });
    const s3rverXml = (await readAll(viaS3rver)).toString("utf8");
    assert.equal(viaS3rver.statusCode, 200);
    const s3rverTag = /<ETag>&quot;([0-9a-f]+)&quot;<\/ETag>/.exec(s3rverXml)?.[1];
    assert.equal(viaGate.CopyObjectResult?.ETag, `"${s3rverTag ?? "?"}"`);
    assert.ok(viaGate.CopyObjectResult?.LastModified instanceof Date);
    const files = (key: string) =>
      ["object", "metadata.json", "object.md5"].map((r) => raw.store.getResourcePath(THUMB_BUCKET, key, r));
    const gateFiles = await Promise.all(files("thumbnails/copy/gate.jpg").map((p) => readFile(p)));
    const s3rverFiles = await Promise.all(files("thumbnails/copy/s3rver.jpg").map((p) => readFile(p)));
    assert.deepEqual(gateFiles, s3rverFiles);
    const [fromGate, fromS3rver] = await Promise.all([
      fetch(`${f.s3.endpoint}/${THUMB_BUCKET}/thumbnails/copy/gate.jpg`, { method: "HEAD" }),
      raw.request({ method: "HEAD", path: `/${THUMB_BUCKET}/thumbnails/copy/s3rver.jpg`, headers: {} }),
    ]);
    fromS3rver.resume();
    const { "last-modified": _a, ...gateHeaders } = stableHeaders(fromGate.headers);
    const { "last-modified": _b, ...s3rverHeaders } = stableHeaders(fromS3rver.headers);
    assert.deepEqual(gateHeaders, s3rverHeaders);
  });

  it("CopyObject refusals and the copies left to s3rver (REPLACE, onto itself) behave as before", async () => {
    const missingKey = await failure(
      f.client.send(
        new CopyObjectCommand({
          Bucket: THUMB_BUCKET,
          Key: "thumbnails/copy/x",
          CopySource: `${THUMB_BUCKET}/thumbnails/none`,
        }),
      ),
    );
    assert.equal(missingKey.name, "NoSuchKey");
    const missingBucket = await failure(
      f.client.send(
        new CopyObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/copy/x", CopySource: "no-such-bucket/k" }),
      ),
    );
    assert.equal(missingBucket.name, "NoSuchBucket");
    const onItself = await failure(
      f.client.send(
        new CopyObjectCommand({
          Bucket: THUMB_BUCKET,
          Key: "thumbnails/untyped",
          CopySource: `${THUMB_BUCKET}/thumbnails/untyped`,
        }),
      ),
    );
    assert.equal(onItself.name, "InvalidRequest");
    await f.client.send(
      new CopyObjectCommand({
        Bucket: THUMB_BUCKET,
        Key: "thumbnails/copy/replaced.jpg",
        CopySource: `${THUMB_BUCKET}/thumbnails/a/b/256x256.jpg`,
        MetadataDirective: "REPLACE",
        ContentType: "image/png",
        Metadata: { replaced: "yes" },
      }),
    );
    const head = await f.client.send(
      new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/copy/replaced.jpg" }),
    );
    assert.equal(head.ContentType, "image/png");
    assert.deepEqual(head.Metadata, { replaced: "yes" });
  });

  it("takes only metadata-keeping whole-object copies between two keys", () => {
    const req = (headers: Record<string, string>) => ({ method: "PUT", headers });
    const src = { bucket: "b-1", key: "s" };
    assert.equal(isDirectCopy(req({}), parseTarget("/b-1/d?x-id=CopyObject"), src), true);
    assert.equal(isDirectCopy(req({ "x-amz-metadata-directive": "COPY" }), parseTarget("/b-1/d"), src), true);
    assert.equal(isDirectCopy(req({ "x-amz-metadata-directive": "REPLACE" }), parseTarget("/b-1/d"), src), false);
    assert.equal(isDirectCopy(req({}), parseTarget("/b-1/s"), src), false);
    assert.equal(
      isDirectCopy(req({ "x-amz-copy-source-range": "bytes=0-1" }), parseTarget("/b-1/d?partNumber=1&uploadId=u"), src),
      false,
    );
    assert.equal(isDirectCopy(req({}), parseTarget("/b-1/d"), undefined), false);
  });

  it("a Range read is answered by the gate", async () => {
    const part = await f.client.send(
      new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/a/b/256x256.jpg", Range: "bytes=0-9" }),
    );
    assert.equal(part.ContentLength, 10);
    assert.equal(part.ContentRange, `bytes 0-9/${body.length}`);
  });
});
