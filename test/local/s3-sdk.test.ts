import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { SOURCE_BUCKET, startFixture, THUMB_BUCKET, type Fixture, failure } from "./s3-support";

describe("local S3: the AWS SDK against the gate", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(async () => {
    await f.close();
  });

  const bytesOf = async (Bucket: string, Key: string) =>
    Buffer.from(await (await f.client.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());

  it("PutObject, GetObject, HeadObject, CopyObject and DeleteObject round-trip bytes and metadata", async () => {
    const body = Buffer.from("some image bytes");
    const put = await f.client.send(
      new PutObjectCommand({
        Bucket: SOURCE_BUCKET,
        Key: "uploads/a.png",
        Body: body,
        ContentType: "image/png",
        CacheControl: "no-cache",
        Metadata: { origin: "test", "original-name": "a.png" },
      }),
    );
    assert.match(put.ETag ?? "", /^"[0-9a-f]{32}"$/);
    const head = await f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/a.png" }));
    assert.equal(head.ETag, put.ETag);
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ContentType, "image/png");
    assert.equal(head.CacheControl, "no-cache");
    assert.deepEqual(head.Metadata, { origin: "test", "original-name": "a.png" });
    assert.ok(head.LastModified instanceof Date);
    assert.deepEqual(await bytesOf(SOURCE_BUCKET, "uploads/a.png"), body);

    const copy = await f.client.send(
      new CopyObjectCommand({
        Bucket: THUMB_BUCKET,
        Key: "copies/a.png",
        CopySource: `${SOURCE_BUCKET}/uploads/a.png`,
      }),
    );
    assert.equal(copy.CopyObjectResult?.ETag, put.ETag);
    const copied = await f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "copies/a.png" }));
    assert.equal(copied.ContentType, "image/png");
    assert.deepEqual(copied.Metadata, head.Metadata);
    assert.deepEqual(await bytesOf(THUMB_BUCKET, "copies/a.png"), body);

    await f.client.send(new DeleteObjectCommand({ Bucket: THUMB_BUCKET, Key: "copies/a.png" }));
    const gone = await failure(f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "copies/a.png" })));
    assert.equal(gone.name, "NotFound");
  });

  it("CopyObject with MetadataDirective REPLACE sets Cache-Control and Content-Type (the publish step)", async () => {
    await f.client.send(
      new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: "staging/t.webp", Body: "webp", ContentType: "image/webp" }),
    );
    const immutable = "public, max-age=31536000, immutable";
    await f.client.send(
      new CopyObjectCommand({
        Bucket: THUMB_BUCKET,
        Key: "thumbnails/t.webp",
        CopySource: `${THUMB_BUCKET}/staging/t.webp`,
        MetadataDirective: "REPLACE",
        CacheControl: immutable,
        ContentType: "image/webp",
        Metadata: { width: "64" },
      }),
    );
    const head = await f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/t.webp" }));
    assert.equal(head.CacheControl, immutable);
    assert.equal(head.ContentType, "image/webp");
    assert.deepEqual(head.Metadata, { width: "64" });
    const anonymous = await fetch(`${f.s3.endpoint}/${THUMB_BUCKET}/thumbnails/t.webp`);
    assert.equal(anonymous.headers.get("cache-control"), immutable);
    assert.equal(await anonymous.text(), "webp");
  });

  it("HeadObject of a missing key is NotFound (404); GetObject is NoSuchKey", async () => {
    const head = await failure(
      f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/missing.png" })),
    );
    assert.equal(head.name, "NotFound");
    assert.equal(head.$metadata.httpStatusCode, 404);
    const get = await failure(
      f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/missing.png" })),
    );
    assert.equal(get.name, "NoSuchKey");
    assert.equal(get.$metadata.httpStatusCode, 404);
  });

  it("GetObject/HeadObject pinned with IfMatch: served while the ETag holds, 412 PreconditionFailed once replaced", async () => {
    const key = "uploads/pinned.png";
    const first = await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: "version 1" }));
    const ok = await f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, IfMatch: first.ETag }));
    assert.equal(await ok.Body!.transformToString(), "version 1");
    await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: "version 2" }));
    const get = await failure(
      f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, IfMatch: first.ETag })),
    );
    assert.equal(get.name, "PreconditionFailed");
    assert.equal(get.$metadata.httpStatusCode, 412);
    const head = await failure(
      f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, IfMatch: first.ETag })),
    );
    assert.equal(head.$metadata.httpStatusCode, 412);
    const ranged = await failure(
      f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, IfMatch: first.ETag, Range: "bytes=0-3" })),
    );
    assert.equal(ranged.$metadata.httpStatusCode, 412);
    // A deleted source is 404, not 412.
    await f.client.send(new DeleteObjectCommand({ Bucket: SOURCE_BUCKET, Key: key }));
    const missing = await failure(
      f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, IfMatch: first.ETag })),
    );
    assert.equal(missing.name, "NoSuchKey");
  });

  it("GetObject with IfNoneMatch of the current ETag is 304 Not Modified", async () => {
    const put = await f.client.send(
      new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/cached.png", Body: "x" }),
    );
    const error = await failure(
      f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/cached.png", IfNoneMatch: put.ETag })),
    );
    assert.equal(error.$metadata.httpStatusCode, 304);
  });

  it("CopyObject with CopySourceIfMatch: copies while the ETag holds, 412 once the source changed", async () => {
    const first = await f.client.send(
      new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: "staging/c.png", Body: "render 1" }),
    );
    await f.client.send(
      new CopyObjectCommand({
        Bucket: THUMB_BUCKET,
        Key: "thumbnails/c.png",
        CopySource: `${THUMB_BUCKET}/staging/c.png`,
        CopySourceIfMatch: first.ETag,
      }),
    );
    await f.client.send(new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: "staging/c.png", Body: "render 2" }));
    const error = await failure(
      f.client.send(
        new CopyObjectCommand({
          Bucket: THUMB_BUCKET,
          Key: "thumbnails/c2.png",
          CopySource: `${THUMB_BUCKET}/staging/c.png`,
          CopySourceIfMatch: first.ETag,
        }),
      ),
    );
    assert.equal(error.name, "PreconditionFailed");
    assert.equal(error.$metadata.httpStatusCode, 412);
    const notCopied = await failure(
      f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/c2.png" })),
    );
    assert.equal(notCopied.name, "NotFound");
    assert.deepEqual(await bytesOf(THUMB_BUCKET, "thumbnails/c.png"), Buffer.from("render 1"));
  });

  it("PutObject and CopyObject with IfNoneMatch '*' create once and answer 412 when the key exists", async () => {
    await f.client.send(
      new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/once.png", Body: "first", IfNoneMatch: "*" }),
    );
    const put = await failure(
      f.client.send(
        new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/once.png", Body: "second", IfNoneMatch: "*" }),
      ),
    );
    assert.equal(put.name, "PreconditionFailed");
    await f.client.send(new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: "staging/once.png", Body: "third" }));
    const copy = await failure(
      f.client.send(
        new CopyObjectCommand({
          Bucket: THUMB_BUCKET,
          Key: "thumbnails/once.png",
          CopySource: `${THUMB_BUCKET}/staging/once.png`,
          IfNoneMatch: "*",
        }),
      ),
    );
    assert.equal(copy.$metadata.httpStatusCode, 412);
    assert.deepEqual(await bytesOf(THUMB_BUCKET, "thumbnails/once.png"), Buffer.from("first"));
  });

  it("stores a streamed (aws-chunked) PutObject body byte for byte", async () => {
    const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(5, 2), Buffer.alloc(100_000, 3)];
    const total = Buffer.concat(parts);
    await f.client.send(
      new PutObjectCommand({
        Bucket: SOURCE_BUCKET,
        Key: "uploads/streamed.bin",
        Body: Readable.from(parts),
        ContentLength: total.length,
        ContentType: "application/octet-stream",
      }),
    );
    const head = await f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/streamed.bin" }));
    assert.equal(head.ContentLength, total.length);
    assert.equal(head.ContentEncoding, undefined);
    assert.deepEqual(await bytesOf(SOURCE_BUCKET, "uploads/streamed.bin"), total);
  });

  it("signs and serves keys with characters that need escaping", async () => {
    const key = "uploads/dir name/a+b (1)!*'~=&ü.png";
    await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: "odd" }));
    assert.deepEqual(await bytesOf(SOURCE_BUCKET, key), Buffer.from("odd"));
    await f.client.send(
      new CopyObjectCommand({
        Bucket: SOURCE_BUCKET,
        Key: `${key}.copy`,
        CopySource: encodeURI(`${SOURCE_BUCKET}/${key}`),
      }),
    );
    assert.deepEqual(await bytesOf(SOURCE_BUCKET, `${key}.copy`), Buffer.from("odd"));
    const listed = await f.client.send(
      new ListObjectsV2Command({ Bucket: SOURCE_BUCKET, Prefix: "uploads/dir name/" }),
    );
    assert.deepEqual(listed.Contents?.map((o) => o.Key).sort(), [key, `${key}.copy`]);
  });

  it("pages ListObjectsV2 with continuation tokens (s3rver's own tokens need DES, gone from OpenSSL 3)", async () => {
    const keys = ["list/a & b.png", "list/c<d>.png", "list/dir/1", "list/dir/2", "list/e.png", "list/f.png"];
    for (const Key of keys) await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key, Body: Key }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: f.client, pageSize: 2 },
      { Bucket: SOURCE_BUCKET, Prefix: "list/" },
    )) {
      pages++;
      assert.equal(page.KeyCount, page.Contents?.length ?? 0);
      seen.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
    }
    assert.deepEqual(seen, keys);
    assert.equal(pages, 3);
    const grouped = await f.client.send(
      new ListObjectsV2Command({ Bucket: SOURCE_BUCKET, Prefix: "list/", Delimiter: "/", StartAfter: "list/c" }),
    );
    assert.deepEqual(
      grouped.CommonPrefixes?.map((p) => p.Prefix),
      ["list/dir/"],
    );
    assert.deepEqual(
      grouped.Contents?.map((o) => o.Key),
      ["list/c<d>.png", "list/e.png", "list/f.png"],
    );
    assert.equal(grouped.StartAfter, "list/c");
    const bad = await failure(
      f.client.send(new ListObjectsV2Command({ Bucket: SOURCE_BUCKET, ContinuationToken: "bogus" })),
    );
    assert.equal(bad.name, "InvalidArgument");
  });

  it("DeleteObjects and a multipart upload work through the gate", async () => {
    const upload = await f.client.send(
      new CreateMultipartUploadCommand({
        Bucket: SOURCE_BUCKET,
        Key: "uploads/multi.bin",
        ContentType: "application/x-test",
      }),
    );
    const partBodies = [Buffer.alloc(5 * 1024 * 1024, 7), Buffer.from("tail")];
    const parts = [];
    for (const [i, Body] of partBodies.entries()) {
      const out = await f.client.send(
        new UploadPartCommand({
          Bucket: SOURCE_BUCKET,
          Key: "uploads/multi.bin",
          UploadId: upload.UploadId,
          PartNumber: i + 1,
          Body,
        }),
      );
      parts.push({ ETag: out.ETag, PartNumber: i + 1 });
    }
    await f.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: SOURCE_BUCKET,
        Key: "uploads/multi.bin",
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    assert.deepEqual(await bytesOf(SOURCE_BUCKET, "uploads/multi.bin"), Buffer.concat(partBodies));

    await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/del-1", Body: "1" }));
    const deleted = await f.client.send(
      new DeleteObjectsCommand({
        Bucket: SOURCE_BUCKET,
        Delete: { Objects: [{ Key: "uploads/del-1" }, { Key: "uploads/multi.bin" }] },
      }),
    );
    assert.equal(deleted.Deleted?.length, 2);
    const gone = await failure(
      f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/multi.bin" })),
    );
    assert.equal(gone.name, "NotFound");
  });

  it("never serves a half-written object while the same key is being replaced", async () => {
    const key = "uploads/contended.bin";
    const versions = [0, 1, 2, 3, 4, 5].map((v) => Buffer.alloc(512 * 1024, v));
    await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: versions[0] }));
    const writes = versions
      .slice(1)
      .map((Body) => f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body })));
    const reads = Array.from({ length: 12 }, async () => {
      const got = await f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: key }));
      return { etag: got.ETag, bytes: Buffer.from(await got.Body!.transformToByteArray()) };
    });
    await Promise.all(writes);
    for (const { bytes } of await Promise.all(reads)) {
      assert.ok(
        versions.some((v) => v.equals(bytes)),
        `a read returned ${bytes.length} bytes that are no complete version`,
      );
    }
    const final = await bytesOf(SOURCE_BUCKET, key);
    assert.ok(versions.some((v) => v.equals(final)));
  });
});
