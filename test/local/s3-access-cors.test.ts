import { strict as assert } from "node:assert";
import http from "node:http";
import { PutObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { ALLOWED_ORIGIN, errorCode, SOURCE_BUCKET, startFixture, THUMB_BUCKET, type Fixture } from "./s3-support";

/** A request with the path exactly as given (fetch would normalise `..` away). */
function rawRequest(
  endpoint: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const accessControlHeaders = (headers: Headers | http.IncomingHttpHeaders): string[] => {
  const names = headers instanceof Headers ? [...headers.keys()] : Object.keys(headers);
  return names.filter((n) => n.toLowerCase().startsWith("access-control-"));
};

describe("local S3: anonymous access", () => {
  let f: Fixture;
  const thumb = Buffer.from("thumbnail bytes");
  before(async () => {
    f = await startFixture();
    const put = (Bucket: string, Key: string, Body: Buffer) =>
      f.client.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: "image/jpeg" }));
    await put(THUMB_BUCKET, "thumbnails/x", thumb);
    await put(THUMB_BUCKET, "staging/x", Buffer.from("staging bytes"));
    await put(SOURCE_BUCKET, "uploads/x", Buffer.from("source bytes"));
    await put(SOURCE_BUCKET, "thumbnails/x", Buffer.from("source bytes under a public-looking prefix"));
  });
  after(async () => {
    await f.close();
  });

  const url = (bucket: string, key = "") => `${f.s3.endpoint}/${bucket}${key === "" ? "" : `/${key}`}`;

  async function expectDenied(res: Response): Promise<void> {
    assert.equal(res.status, 403);
    assert.equal(errorCode(await res.text()), "AccessDenied");
  }

  it("serves GET and HEAD of a thumbnail under the public prefix, with Access-Control-Allow-Origin: *", async () => {
    const res = await fetch(url(THUMB_BUCKET, "thumbnails/x"), { headers: { Origin: "https://anyone.example" } });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), thumb);
    assert.equal(res.headers.get("content-type"), "image/jpeg");
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    const head = await fetch(url(THUMB_BUCKET, "thumbnails/x"), { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(thumb.length));
  });

  it("refuses staging/, the whole source bucket and the same prefix in another bucket", async () => {
    await expectDenied(await fetch(url(THUMB_BUCKET, "staging/x")));
    await expectDenied(await fetch(url(SOURCE_BUCKET, "uploads/x")));
    await expectDenied(await fetch(url(SOURCE_BUCKET, "thumbnails/x")));
    const head = await fetch(url(SOURCE_BUCKET, "uploads/x"), { method: "HEAD" });
    assert.equal(head.status, 403);
  });

  it("refuses listings of either bucket and of all buckets", async () => {
    await expectDenied(await fetch(url(THUMB_BUCKET)));
    await expectDenied(await fetch(`${url(THUMB_BUCKET)}?list-type=2&prefix=thumbnails/`));
    await expectDenied(await fetch(`${url(THUMB_BUCKET)}/`));
    await expectDenied(await fetch(url(SOURCE_BUCKET)));
    await expectDenied(await fetch(`${f.s3.endpoint}/`));
  });

  it("refuses anonymous writes and deletes, even under the public prefix, and leaves the object intact", async () => {
    await expectDenied(await fetch(url(THUMB_BUCKET, "thumbnails/x"), { method: "PUT", body: "overwritten" }));
    await expectDenied(await fetch(url(THUMB_BUCKET, "thumbnails/x"), { method: "DELETE" }));
    await expectDenied(await fetch(url(THUMB_BUCKET, "thumbnails/new"), { method: "PUT", body: "new" }));
    const got = await f.client.send(new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: "thumbnails/x" }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), thumb);
  });

  it("refuses sub-resources and response overrides on public objects", async () => {
    await expectDenied(await fetch(`${url(THUMB_BUCKET, "thumbnails/x")}?acl`));
    await expectDenied(await fetch(`${url(THUMB_BUCKET, "thumbnails/x")}?tagging`));
    const override = await fetch(`${url(THUMB_BUCKET, "thumbnails/x")}?response-content-type=text/html`);
    assert.equal(override.status, 400);
    assert.equal(errorCode(await override.text()), "InvalidRequest");
  });

  it("answers 403 (not 404) for a missing public key, as S3 does without s3:ListBucket", async () => {
    await expectDenied(await fetch(url(THUMB_BUCKET, "thumbnails/missing")));
  });

  it("does not let dot segments escape the public prefix", async () => {
    for (const path of [
      `/${THUMB_BUCKET}/thumbnails/../staging/x`,
      `/${THUMB_BUCKET}/thumbnails/%2e%2e/staging/x`,
      `/${THUMB_BUCKET}/thumbnails/./../staging/x`,
    ]) {
      const res = await rawRequest(f.s3.endpoint, "GET", path);
      assert.ok(res.status === 400 || res.status === 403, `${path}: ${res.status}`);
      assert.doesNotMatch(res.body, /staging bytes/);
    }
  });
});

describe("local S3: CORS", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(async () => {
    await f.close();
  });

  const preflight = (bucket: string, origin: string | undefined, method: string, requestHeaders?: string) =>
    rawRequest(f.s3.endpoint, "OPTIONS", `/${bucket}`, {
      ...(origin === undefined ? {} : { Origin: origin }),
      "Access-Control-Request-Method": method,
      ...(requestHeaders === undefined ? {} : { "Access-Control-Request-Headers": requestHeaders }),
    });

  it("answers a POST preflight from an allowed origin with the CORS headers", async () => {
    const res = await preflight(SOURCE_BUCKET, ALLOWED_ORIGIN, "POST", "content-type,x-requested-with");
    assert.equal(res.status, 200);
    assert.equal(res.headers["access-control-allow-origin"], ALLOWED_ORIGIN);
    assert.match(String(res.headers["access-control-allow-methods"]), /\bPOST\b/);
    assert.equal(res.headers["access-control-allow-headers"], "content-type,x-requested-with");
    assert.ok(Number(res.headers["access-control-max-age"]) > 0);
    assert.match(String(res.headers["vary"]), /Origin/);
  });

  it("refuses a preflight from another origin with 403 and no Access-Control-* header", async () => {
    const res = await preflight(SOURCE_BUCKET, "https://evil.example", "POST", "content-type");
    assert.equal(res.status, 403);
    assert.equal(errorCode(res.body), "CORSResponse");
    assert.deepEqual(accessControlHeaders(res.headers), []);
  });

  it("refuses a preflight for a method the rule does not allow, and one without Origin", async () => {
    const put = await preflight(SOURCE_BUCKET, ALLOWED_ORIGIN, "PUT");
    assert.equal(put.status, 403);
    assert.deepEqual(accessControlHeaders(put.headers), []);
    const noOrigin = await preflight(SOURCE_BUCKET, undefined, "POST");
    assert.equal(noOrigin.status, 400);
    assert.deepEqual(accessControlHeaders(noOrigin.headers), []);
  });

  it("allows GET preflights on the public bucket from any origin, and nothing on a bucket without CORS", async () => {
    const get = await preflight(THUMB_BUCKET, "https://anyone.example", "GET");
    assert.equal(get.status, 200);
    assert.equal(get.headers["access-control-allow-origin"], "*");
    const post = await preflight(THUMB_BUCKET, ALLOWED_ORIGIN, "POST");
    assert.equal(post.status, 403);
    assert.deepEqual(accessControlHeaders(post.headers), []);
  });

  it("adds no CORS headers to answers for origins that are not allowed", async () => {
    const res = await fetch(`${f.s3.endpoint}/${SOURCE_BUCKET}/uploads/x`, {
      headers: { Origin: "https://evil.example" },
    });
    assert.equal(res.status, 403);
    assert.deepEqual(accessControlHeaders(res.headers), []);
  });
});
