import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import {
  ALLOWED_ORIGIN,
  errorCode,
  errorMessage,
  postForm,
  presignUpload,
  s3Client,
  SOURCE_BUCKET,
  startFixture,
  type Fixture,
} from "./s3-support";

const MAX = 1024;
const png = (n: number) => {
  const bytes = Buffer.alloc(n, 0x42);
  Buffer.from([0x89, 0x50, 0x4e, 0x47]).copy(bytes);
  return bytes;
};

describe("local S3: presigned POST uploads", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(async () => {
    await f.close();
  });

  const newKey = () => `uploads/${randomUUID()}.png`;

  async function exists(key: string): Promise<boolean> {
    try {
      await f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: key }));
      return true;
    } catch (error) {
      assert.ok(error instanceof S3ServiceException && error.name === "NotFound", String(error));
      return false;
    }
  }

  async function expectRefusal(res: Response, status: number, code: string): Promise<string> {
    const body = await res.text();
    assert.equal(res.status, status, body);
    assert.equal(errorCode(body), code, body);
    assert.match(body, /<RequestId>[0-9A-F]+<\/RequestId>/);
    return body;
  }

  it("stores an upload made with createPresignedPost, readable with the SDK and not anonymously", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const bytes = png(MAX);
    const res = await postForm(url, fields, { bytes, type: "image/png" });
    assert.equal(res.status, 204, await res.text());
    assert.match(res.headers.get("etag") ?? "", /^"[0-9a-f]{32}"$/);
    assert.equal(res.headers.get("location"), `${f.s3.endpoint}/${SOURCE_BUCKET}/${key}`);

    const got = await f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: key }));
    assert.equal(got.ContentType, "image/png");
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), bytes);
    assert.equal(got.ETag, res.headers.get("etag"));

    const anonymous = await fetch(`${f.s3.endpoint}/${SOURCE_BUCKET}/${key}`);
    assert.equal(anonymous.status, 403);
    assert.equal(errorCode(await anonymous.text()), "AccessDenied");
  });

  it("refuses one byte over the limit with 400 EntityTooLarge and stores nothing", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    await expectRefusal(await postForm(url, fields, { bytes: png(MAX + 1), type: "image/png" }), 400, "EntityTooLarge");
    assert.equal(await exists(key), false);
  });

  it("refuses an empty file with 400 EntityTooSmall and stores nothing", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    await expectRefusal(
      await postForm(url, fields, { bytes: new Uint8Array(0), type: "image/png" }),
      400,
      "EntityTooSmall",
    );
    assert.equal(await exists(key), false);
  });

  for (const other of [`uploads/${randomUUID()}.png`, "thumbnails/x", "../x"]) {
    it(`refuses another key (${other}) with 403 and leaves an object there untouched`, async () => {
      const original = Buffer.from("original object");
      const canHoldObject = !other.startsWith("..");
      if (canHoldObject) {
        await f.client.send(
          new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: other, Body: original, ContentType: "text/plain" }),
        );
      }
      const { url, fields } = await presignUpload(f.client, newKey(), MAX);
      const body = await expectRefusal(
        await postForm(url, { ...fields, key: other }, { bytes: png(10), type: "image/png" }),
        403,
        "AccessDenied",
      );
      assert.match(errorMessage(body) ?? "", /Policy Condition failed: \["eq", "\$key", "uploads\//);
      if (canHoldObject) {
        const got = await f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: other }));
        assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), original);
        assert.equal(got.ContentType, "text/plain");
      }
    });
  }

  it("refuses a Content-Type other than the signed one with 403", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX, "image/png");
    const body = await expectRefusal(
      await postForm(url, { ...fields, "Content-Type": "text/html" }, { bytes: png(10), type: "text/html" }),
      403,
      "AccessDenied",
    );
    assert.match(errorMessage(body) ?? "", /Policy Condition failed/);
    assert.equal(await exists(key), false);
  });

  it("refuses an expired policy with 403 'Policy expired.'", async () => {
    // Signed by a client whose clock is 10 minutes behind: the 5-minute policy expired 5 minutes ago.
    const lateClient = s3Client(f.s3.endpoint, { systemClockOffset: -10 * 60 * 1000 });
    const key = newKey();
    const { url, fields } = await presignUpload(lateClient, key, MAX);
    lateClient.destroy();
    const body = await expectRefusal(
      await postForm(url, fields, { bytes: png(10), type: "image/png" }),
      403,
      "AccessDenied",
    );
    assert.equal(errorMessage(body), "Invalid according to Policy: Policy expired.");
    assert.equal(await exists(key), false);
  });

  it("refuses a tampered signature with 403 SignatureDoesNotMatch", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const signature = fields["X-Amz-Signature"] ?? "";
    const tampered = (signature[0] === "0" ? "1" : "0") + signature.slice(1);
    await expectRefusal(
      await postForm(url, { ...fields, "X-Amz-Signature": tampered }, { bytes: png(10), type: "image/png" }),
      403,
      "SignatureDoesNotMatch",
    );
    assert.equal(await exists(key), false);
  });

  it("refuses a policy edited after signing (wider size range) with 403 SignatureDoesNotMatch", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const policy = Buffer.from(fields["Policy"] ?? "", "base64")
      .toString("utf8")
      .replace(`,${MAX}]`, ",99999999]");
    const edited = { ...fields, Policy: Buffer.from(policy).toString("base64") };
    await expectRefusal(
      await postForm(url, edited, { bytes: png(MAX + 10), type: "image/png" }),
      403,
      "SignatureDoesNotMatch",
    );
    assert.equal(await exists(key), false);
  });

  it("refuses a POST with no policy (or no signature) with 403 AccessDenied", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const { Policy: _policy, "X-Amz-Signature": _signature, ...unsigned } = fields;
    await expectRefusal(await postForm(url, unsigned, { bytes: png(10), type: "image/png" }), 403, "AccessDenied");
    await expectRefusal(
      await postForm(url, { key, "Content-Type": "image/png" }, { bytes: png(10), type: "image/png" }),
      403,
      "AccessDenied",
    );
    const { "X-Amz-Signature": _s, ...noSignature } = fields;
    await expectRefusal(await postForm(url, noSignature, { bytes: png(10), type: "image/png" }), 403, "AccessDenied");
    assert.equal(await exists(key), false);
  });

  it("refuses an extra unsigned field with 403 'Extra input fields'", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const body = await expectRefusal(
      await postForm(url, { ...fields, "x-amz-meta-owner": "mallory" }, { bytes: png(10), type: "image/png" }),
      403,
      "AccessDenied",
    );
    assert.equal(errorMessage(body), "Invalid according to Policy: Extra input fields: x-amz-meta-owner");
    assert.equal(await exists(key), false);
    // x-ignore-* fields never need a condition.
    const ok = await postForm(url, { ...fields, "x-ignore-tracking": "1" }, { bytes: png(10), type: "image/png" });
    assert.equal(ok.status, 204, await ok.text());
  });

  it("refuses an unknown access key with 403 InvalidAccessKeyId and a wrong secret with SignatureDoesNotMatch", async () => {
    const stranger = s3Client(f.s3.endpoint, { credentials: { accessKeyId: "SOMEONEELSE", secretAccessKey: "x" } });
    const wrongSecret = s3Client(f.s3.endpoint, {
      credentials: { accessKeyId: "LOCALTESTKEY", secretAccessKey: "guess" },
    });
    const key = newKey();
    const a = await presignUpload(stranger, key, MAX);
    const b = await presignUpload(wrongSecret, key, MAX);
    stranger.destroy();
    wrongSecret.destroy();
    await expectRefusal(
      await postForm(a.url, a.fields, { bytes: png(10), type: "image/png" }),
      403,
      "InvalidAccessKeyId",
    );
    await expectRefusal(
      await postForm(b.url, b.fields, { bytes: png(10), type: "image/png" }),
      403,
      "SignatureDoesNotMatch",
    );
    assert.equal(await exists(key), false);
  });

  it("answers success_action_status 201 with S3's PostResponse XML", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX, "image/png", {
      Fields: { "Content-Type": "image/png", success_action_status: "201" },
    });
    const res = await postForm(url, fields, { bytes: png(20), type: "image/png" });
    const body = await res.text();
    assert.equal(res.status, 201, body);
    assert.match(body, new RegExp(`<Key>${key}</Key>`));
    assert.match(body, /<ETag>"[0-9a-f]{32}"<\/ETag>/);
  });

  it("refuses a non-multipart POST (412) and a form without a file (400) and stores nothing", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const urlencoded = await fetch(url, { method: "POST", body: new URLSearchParams(fields) });
    await expectRefusal(urlencoded, 412, "PreconditionFailed");
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    await expectRefusal(await fetch(url, { method: "POST", body: form }), 400, "IncorrectNumberOfFilesInPostRequest");
    assert.equal(await exists(key), false);
  });

  it("refuses an oversized body while it is still arriving (streams, does not buffer)", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const boundary = "----localS3TestBoundary";
    let head = "";
    for (const [k, v] of Object.entries(fields))
      head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`;
    const target = new URL(url);
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({
        host: target.hostname,
        port: target.port,
        method: "POST",
        path: target.pathname,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "transfer-encoding": "chunked" },
      });
      req.on("error", reject);
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      // Headers and 4x the limit of file bytes, then nothing more: the body never ends.
      req.write(head);
      req.write(png(4 * MAX));
    });
    assert.equal(response.status, 400);
    assert.equal(errorCode(response.body), "EntityTooLarge");
    assert.equal(await exists(key), false);
  });

  it("adds CORS headers for the allowed origin to the upload's answers, refusals included", async () => {
    const key = newKey();
    const { url, fields } = await presignUpload(f.client, key, MAX);
    const ok = await postForm(url, fields, { bytes: png(10), type: "image/png" }, { Origin: ALLOWED_ORIGIN });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), ALLOWED_ORIGIN);
    assert.match(ok.headers.get("access-control-expose-headers") ?? "", /ETag/);
    assert.match(ok.headers.get("access-control-expose-headers") ?? "", /Location/);
    const refused = await postForm(url, fields, { bytes: png(MAX + 1), type: "image/png" }, { Origin: ALLOWED_ORIGIN });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get("access-control-allow-origin"), ALLOWED_ORIGIN);
    const foreign = await postForm(
      url,
      fields,
      { bytes: png(10), type: "image/png" },
      { Origin: "https://evil.example" },
    );
    assert.equal(foreign.headers.get("access-control-allow-origin"), null);
  });
});
