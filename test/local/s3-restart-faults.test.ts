import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startLocalS3, type LocalS3 } from "../../local/s3";
import { deferred } from "../helpers/deferred";
import {
  errorCode,
  postForm,
  presignUpload,
  s3Client,
  SOURCE_BUCKET,
  startFixture,
  THUMB_BUCKET,
  type Fixture,
  failure,
} from "./s3-support";

describe("local S3: restart", () => {
  let f: Fixture;
  let restarted: LocalS3 | undefined;
  before(async () => {
    f = await startFixture();
  });
  after(async () => {
    await restarted?.close();
    await f.close();
  });

  it("keeps uploaded and published objects across close() and a start on the same data directory", async () => {
    const uploadKey = `uploads/${randomUUID()}.png`;
    const { url, fields } = await presignUpload(f.client, uploadKey, 1024);
    const posted = await postForm(url, fields, { bytes: Buffer.from("uploaded before restart"), type: "image/png" });
    assert.equal(posted.status, 204);
    const published = await f.client.send(
      new PutObjectCommand({
        Bucket: THUMB_BUCKET,
        Key: "thumbnails/kept.jpg",
        Body: "published",
        ContentType: "image/jpeg",
        CacheControl: "public, max-age=31536000, immutable",
      }),
    );
    await f.s3.close();

    restarted = await startLocalS3(f.options);
    const client = s3Client(restarted.endpoint);
    try {
      const upload = await client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: uploadKey }));
      assert.equal(await upload.Body!.transformToString(), "uploaded before restart");
      assert.equal(upload.ContentType, "image/png");
      assert.equal(upload.ETag, posted.headers.get("etag"));
      const thumb = await client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/kept.jpg" }));
      assert.equal(thumb.ETag, published.ETag);
      assert.equal(thumb.CacheControl, "public, max-age=31536000, immutable");
      const anonymous = await fetch(`${restarted.endpoint}/${THUMB_BUCKET}/thumbnails/kept.jpg`);
      assert.equal(await anonymous.text(), "published");
    } finally {
      client.destroy();
    }
  });
});

describe("local S3: fault injection", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
    await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/f.png", Body: "fine" }));
  });
  afterEach(() => f.s3.faults.clear());
  after(async () => {
    await f.close();
  });

  const get = (client = f.client) => client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/f.png" }));

  it("answers matching requests with an injected 503 until the fault is removed", async () => {
    const fault = f.s3.faults.add({
      method: "GET",
      bucket: SOURCE_BUCKET,
      keyPrefix: "uploads/",
      status: 503,
      code: "ServiceUnavailable",
    });
    const error = await failure(get());
    assert.equal(error.$metadata.httpStatusCode, 503);
    assert.equal(error.name, "ServiceUnavailable");
    assert.equal(error.$fault, "server");
    assert.equal(fault.hits, 1);
    assert.equal(f.s3.faults.hits, 1);
    assert.deepEqual(f.s3.faults.log[0], {
      method: "GET",
      bucket: SOURCE_BUCKET,
      key: "uploads/f.png",
      status: 503,
      code: "ServiceUnavailable",
    });
    // Requests the fault does not match are untouched.
    await f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/f.png" }));
    await f.client.send(new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: "uploads/f.png", Body: "other bucket" }));
    fault.remove();
    assert.equal(await (await get()).Body!.transformToString(), "fine");
    assert.equal(fault.hits, 1);
  });

  it("fails only `times` requests, so the SDK's own retries recover (SlowDown)", async () => {
    const fault = f.s3.faults.add({ bucket: SOURCE_BUCKET, status: 503, code: "SlowDown", times: 1 });
    const retrying = s3Client(f.s3.endpoint, { maxAttempts: 3 });
    try {
      const out = await get(retrying);
      assert.equal(await out.Body!.transformToString(), "fine");
      assert.equal(out.$metadata.attempts, 2);
    } finally {
      retrying.destroy();
    }
    assert.equal(fault.hits, 1);
  });

  it("holds the answer on its before hook until the hook's promise settles; later requests are answered meanwhile", async () => {
    const reached = deferred();
    const gate = deferred();
    f.s3.faults.add({
      method: "GET",
      status: 500,
      before: () => {
        reached.resolve();
        return gate.promise;
      },
    });
    let answered = false;
    // One attempt: the SDK's own retries must not be what keeps the answer away.
    const once = s3Client(f.s3.endpoint, { maxAttempts: 1 });
    const pending = failure(get(once)).finally(() => (answered = true));
    await reached.promise;
    // A request sent after the held one is answered first: the gate holds only that answer.
    await f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/f.png" }));
    assert.equal(answered, false, "held while the hook's promise is pending");
    gate.resolve();
    assert.equal((await pending).name, "InternalError");
    once.destroy();
  });

  it("applies to browser uploads too, and nothing is stored", async () => {
    f.s3.faults.add({ method: "POST", bucket: SOURCE_BUCKET, status: 503 });
    const key = `uploads/${randomUUID()}.png`;
    const { url, fields } = await presignUpload(f.client, key, 1024);
    const res = await postForm(url, fields, { bytes: Buffer.from("x"), type: "image/png" });
    assert.equal(res.status, 503);
    assert.equal(errorCode(await res.text()), "ServiceUnavailable");
    f.s3.faults.clear();
    const missing = await failure(f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: key })));
    assert.equal(missing.name, "NotFound");
  });
});
