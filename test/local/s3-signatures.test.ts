import { strict as assert } from "node:assert";
import { Sha256 } from "@aws-crypto/sha256-js";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  CREDENTIALS,
  errorCode,
  errorMessage,
  REGION,
  s3Client,
  SOURCE_BUCKET,
  startFixture,
  type Fixture,
  failure,
} from "./s3-support";

describe("local S3: SigV4 verification of signed requests", () => {
  let f: Fixture;
  let host: string;
  before(async () => {
    f = await startFixture();
    host = new URL(f.s3.endpoint).host;
    await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/private.png", Body: "private" }));
  });
  after(async () => {
    await f.close();
  });

  async function withClient<T>(
    extra: Parameters<typeof s3Client>[1],
    fn: (c: ReturnType<typeof s3Client>) => Promise<T>,
  ): Promise<T> {
    const client = s3Client(f.s3.endpoint, { maxAttempts: 1, ...extra });
    try {
      return await fn(client);
    } finally {
      client.destroy();
    }
  }

  const notStored = async (key: string) => {
    const error = await failure(f.client.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: key })));
    assert.equal(error.name, "NotFound");
  };

  it("refuses a wrong secret with SignatureDoesNotMatch and stores nothing", async () => {
    const error = await withClient({ credentials: { ...CREDENTIALS, secretAccessKey: "not-the-secret" } }, (c) =>
      failure(c.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/forged.png", Body: "forged" }))),
    );
    assert.equal(error.name, "SignatureDoesNotMatch");
    assert.equal(error.$metadata.httpStatusCode, 403);
    await notStored("uploads/forged.png");
  });

  it("refuses an unknown access key with InvalidAccessKeyId", async () => {
    const error = await withClient({ credentials: { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" } }, (c) =>
      failure(c.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/private.png" }))),
    );
    assert.equal(error.name, "InvalidAccessKeyId");
  });

  it("refuses a signature scoped to another region, and a clock 20 minutes off", async () => {
    const region = await withClient({ region: "eu-west-1" }, (c) =>
      failure(c.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/private.png" }))),
    );
    assert.equal(region.name, "AuthorizationHeaderMalformed");
    const skewed = await withClient({ systemClockOffset: -20 * 60 * 1000 }, (c) =>
      failure(c.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/private.png" }))),
    );
    assert.equal(skewed.name, "RequestTimeTooSkewed");
  });

  const signer = new SignatureV4({
    service: "s3",
    region: REGION,
    credentials: CREDENTIALS,
    sha256: Sha256,
    uriEscapePath: false,
  });

  async function signedHeaders(method: string, path: string, extra: Record<string, string> = {}) {
    const signed = await signer.sign({
      method,
      protocol: "http:",
      hostname: "127.0.0.1",
      path,
      query: {},
      headers: { host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...extra },
    });
    return signed.headers;
  }

  it("accepts a correctly signed request and refuses it replayed on another key or with a header changed", async () => {
    const headers = await signedHeaders("GET", `/${SOURCE_BUCKET}/uploads/private.png`, { "x-amz-meta-note": "a" });
    const ok = await fetch(`${f.s3.endpoint}/${SOURCE_BUCKET}/uploads/private.png`, { headers });
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "private");
    const replayed = await fetch(`${f.s3.endpoint}/${SOURCE_BUCKET}/uploads/other.png`, { headers });
    assert.equal(replayed.status, 403);
    assert.equal(errorCode(await replayed.text()), "SignatureDoesNotMatch");
    const changed = await fetch(`${f.s3.endpoint}/${SOURCE_BUCKET}/uploads/private.png`, {
      headers: { ...headers, "x-amz-meta-note": "b" },
    });
    assert.equal(changed.status, 403);
    assert.equal(errorCode(await changed.text()), "SignatureDoesNotMatch");
  });

  async function presign(
    method: string,
    key: string,
    options: { expiresIn?: number; signingDate?: Date; hoist?: boolean } = {},
  ): Promise<string> {
    const hoist = options.hoist ?? true;
    const presigned = await signer.presign(
      {
        method,
        protocol: "http:",
        hostname: "127.0.0.1",
        path: `/${SOURCE_BUCKET}/${key}`,
        query: { "x-id": method === "GET" ? "GetObject" : "PutObject" },
        headers: { host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      },
      {
        expiresIn: options.expiresIn ?? 300,
        signingDate: options.signingDate,
        // As @aws-sdk/s3-request-presigner: the payload hash is hoisted into the query; or kept out of both.
        ...(hoist
          ? {}
          : {
              unhoistableHeaders: new Set(["x-amz-content-sha256"]),
              unsignableHeaders: new Set(["x-amz-content-sha256"]),
            }),
      },
    );
    const query = Object.entries(presigned.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    return `${f.s3.endpoint}${presigned.path}?${query}`;
  }

  it("serves presigned GET URLs (query SigV4) and refuses tampered, moved and expired ones", async () => {
    for (const hoist of [true, false]) {
      const url = await presign("GET", "uploads/private.png", { hoist });
      const ok = await fetch(url);
      assert.equal(ok.status, 200, `hoist=${hoist}`);
      assert.equal(await ok.text(), "private");
    }
    const url = new URL(await presign("GET", "uploads/private.png"));
    const signature = url.searchParams.get("X-Amz-Signature") ?? "";
    url.searchParams.set("X-Amz-Signature", (signature[0] === "a" ? "b" : "a") + signature.slice(1));
    const tampered = await fetch(url);
    assert.equal(tampered.status, 403);
    assert.equal(errorCode(await tampered.text()), "SignatureDoesNotMatch");

    const moved = await fetch((await presign("GET", "uploads/private.png")).replace("private.png", "other.png"));
    assert.equal(moved.status, 403);

    const expired = await fetch(
      await presign("GET", "uploads/private.png", { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) }),
    );
    const body = await expired.text();
    assert.equal(expired.status, 403);
    assert.equal(errorCode(body), "AccessDenied");
    assert.equal(errorMessage(body), "Request has expired");
  });

  it("accepts a presigned PUT URL", async () => {
    const put = await fetch(await presign("PUT", "uploads/presigned-put.png"), {
      method: "PUT",
      body: "via presigned put",
      headers: { "content-type": "image/png" },
    });
    assert.equal(put.status, 200, await put.text());
    const got = await f.client.send(new GetObjectCommand({ Bucket: SOURCE_BUCKET, Key: "uploads/presigned-put.png" }));
    assert.equal(await got.Body!.transformToString(), "via presigned put");
  });
});
