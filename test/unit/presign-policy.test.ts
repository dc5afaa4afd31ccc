/** The presigned POST policy, decoded and checked condition by condition (docs/cases.md, Upload). */
import { strict as assert } from "node:assert";
import { S3Client } from "@aws-sdk/client-s3";
import { parseConfig } from "../../lambdas/shared/config";
import { ValidationError } from "../../lambdas/shared/errors";
import * as validators from "../../lambdas/shared/validators";
import { createUpload } from "../../lambdas/presign/presign";

const config = parseConfig({
  SOURCE_BUCKET: "uploads-bucket",
  THUMBNAIL_BUCKET: "thumbs-bucket",
  PUBLIC_BASE_URL: "https://cdn.example.com",
  MAX_UPLOAD_BYTES: "1000000",
  UPLOAD_EXPIRY_SECONDS: "300",
  UPLOAD_CONTENT_TYPES: "image/jpeg,image/png",
});
const s3 = new S3Client({
  region: "eu-west-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
});

type Condition = unknown[] | Record<string, string>;
function decode(policy: string | undefined): { expiration: string; conditions: Condition[] } {
  assert.ok(policy, "no Policy field");
  return JSON.parse(Buffer.from(policy, "base64").toString("utf8"));
}

describe("presign: upload policy", () => {
  const now = Date.parse("2026-11-21T12:00:00Z");

  it("pins the exact key, size range, exact type and a short expiry, and nothing else", async () => {
    const ticket = await createUpload({ contentType: "image/png" }, { config, s3, now: () => now });
    assert.match(ticket.imageName, /^[0-9a-f-]{36}\.png$/);
    assert.equal(ticket.fields["key"], `uploads/${ticket.imageName}`);
    assert.equal(ticket.fields["Content-Type"], "image/png");
    const policy = decode(ticket.fields["Policy"]);
    const expiresIn = Date.parse(policy.expiration) - Date.now();
    assert.ok(expiresIn > 0 && expiresIn <= 300_000, `expires in ${expiresIn} ms`);
    assert.equal(ticket.expiresAt, new Date(now + 300_000).toISOString());

    const byKind = new Map<string, Condition>();
    for (const c of policy.conditions) {
      byKind.set(Array.isArray(c) ? `${String(c[0])} ${String(c[1])}` : (Object.keys(c)[0] ?? ""), c);
    }
    assert.deepEqual(byKind.get("content-length-range 1"), ["content-length-range", 1, 1_000_000]);
    assert.deepEqual(byKind.get("eq $Content-Type"), ["eq", "$Content-Type", "image/png"]);
    assert.deepEqual(byKind.get("key"), { key: `uploads/${ticket.imageName}` });
    assert.deepEqual(byKind.get("bucket"), { bucket: "uploads-bucket" });
    assert.deepEqual(
      [...byKind.keys()].sort(),
      [
        "Content-Type",
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "bucket",
        "content-length-range 1",
        "eq $Content-Type",
        "key",
      ].sort(),
      "no condition a client could abuse (no starts-with on key, no acl, no redirect)",
    );
    assert.equal(ticket.maxUploadBytes, 1_000_000);
  });

  it("allows only image/* when the client names no type, under a fresh key", async () => {
    const a = await createUpload({}, { config, s3 });
    const b = await createUpload({}, { config, s3 });
    assert.notEqual(a.imageName, b.imageName);
    assert.match(a.imageName, /\.img$/);
    assert.ok(
      validators.thumbnailQuery({ imageName: a.imageName, res: "64x64" }),
      "issued names are accepted by /thumbnail",
    );
    const conditions = decode(a.fields["Policy"]).conditions;
    assert.ok(conditions.some((c) => JSON.stringify(c) === JSON.stringify(["starts-with", "$Content-Type", "image/"])));
  });

  it("refuses a content type outside the allowlist, naming the allowed ones", async () => {
    await assert.rejects(createUpload({ contentType: "image/gif" }, { config, s3 }), (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.match(err.message, /image\/jpeg, image\/png/);
      return true;
    });
  });
});
