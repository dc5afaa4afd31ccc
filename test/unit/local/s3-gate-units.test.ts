import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { AwsChunkedDecoder } from "../../../local/s3/aws-chunked";
import { checkReadPreconditions, checkWritePreconditions, etagMatches } from "../../../local/s3/conditions";
import { KeyLocks } from "../../../local/s3/key-locks";
import { checkPolicy, parsePolicy, type FormField } from "../../../local/s3/post-policy";
import { parseTarget, unsafeKeyReason } from "../../../local/s3/request-target";
import { S3Error } from "../../../local/s3/s3-error";

const fieldsOf = (record: Record<string, string>): Map<string, FormField> =>
  new Map(Object.entries(record).map(([name, value]) => [name.toLowerCase(), { name, value }]));

const policyOf = (conditions: unknown[], expiration = new Date(Date.now() + 60_000)) =>
  parsePolicy(Buffer.from(JSON.stringify({ expiration: expiration.toISOString(), conditions })).toString("base64"));

function refusal(fn: () => unknown): S3Error {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof S3Error, String(error));
    return error;
  }
  assert.fail("expected a refusal");
}

describe("local S3 gate: POST policy conditions", () => {
  const now = new Date();

  it("matches field names case-insensitively and intersects content-length ranges", () => {
    const policy = policyOf([
      { bucket: "b" },
      ["starts-with", "$Key", "uploads/"],
      ["content-length-range", 1, 100],
      ["content-length-range", "10", "50"],
      { "content-type": "image/png" },
    ]);
    const grant = checkPolicy(policy, fieldsOf({ KEY: "uploads/a", "Content-Type": "image/png" }), "b", now);
    assert.deepEqual(grant, { key: "uploads/a", minBytes: 10, maxBytes: 50 });
  });

  it("fails a condition on a missing field, a wrong bucket, and a value that is only a prefix for eq", () => {
    const policy = policyOf([{ bucket: "b" }, ["eq", "$key", "uploads/a"], ["eq", "$Content-Type", "image/png"]]);
    assert.match(
      refusal(() => checkPolicy(policy, fieldsOf({ key: "uploads/a" }), "b", now)).message,
      /\["eq", "\$Content-Type", "image\/png"\]/,
    );
    assert.equal(
      refusal(() => checkPolicy(policy, fieldsOf({ key: "uploads/a", "Content-Type": "image/png" }), "other", now))
        .status,
      403,
    );
    assert.equal(
      refusal(() =>
        checkPolicy(policy, fieldsOf({ key: "uploads/a", "Content-Type": "image/png", bucket: "other" }), "b", now),
      ).status,
      403,
    );
    assert.equal(
      refusal(() => checkPolicy(policy, fieldsOf({ key: "uploads/ab", "Content-Type": "image/png" }), "b", now)).status,
      403,
    );
  });

  it("refuses malformed policies with InvalidPolicyDocument", () => {
    for (const bad of [
      "not base64 json",
      Buffer.from("{}").toString("base64"),
      Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[["ne","$key","x"]]}').toString("base64"),
    ]) {
      assert.equal(refusal(() => parsePolicy(bad)).code, "InvalidPolicyDocument");
    }
  });
});

describe("local S3 gate: aws-chunked decoding", () => {
  const encoded = Buffer.from(
    "6\r\nhello \r\n5;chunk-signature=abc\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n",
  );

  it("decodes whatever the network splits, one byte at a time included, and collects trailers", async () => {
    for (const size of [1, 2, 3, 7, encoded.length]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < encoded.length; i += size) pieces.push(encoded.subarray(i, i + size));
      const decoder = new AwsChunkedDecoder(11);
      assert.equal(await text(Readable.from(pieces).pipe(decoder)), "hello world", `pieces of ${size}`);
      assert.equal(decoder.trailers.get("x-amz-checksum-crc32"), "DUoRhQ==");
    }
  });

  it("fails a truncated body and a length that differs from x-amz-decoded-content-length", async () => {
    await assert.rejects(
      text(Readable.from([encoded.subarray(0, 20)]).pipe(new AwsChunkedDecoder(11))),
      /terminated unexpectedly/,
    );
    await assert.rejects(
      text(Readable.from([encoded]).pipe(new AwsChunkedDecoder(12))),
      /x-amz-decoded-content-length/,
    );
  });
});

describe("local S3 gate: preconditions", () => {
  const object = { etag: '"abc"', lastModified: new Date("2024-01-02T00:00:00Z") };

  it("matches quoted, unquoted, weak, listed and * ETags", () => {
    for (const header of ['"abc"', "abc", 'W/"abc"', '"x", "abc"', "*"])
      assert.ok(etagMatches(header, '"abc"'), header);
    assert.ok(!etagMatches('"abcd"', '"abc"'));
  });

  it("orders read preconditions as S3: If-Match wins over If-Unmodified-Since; If-None-Match gives 304", () => {
    assert.equal(
      checkReadPreconditions({ "if-match": '"abc"', "if-unmodified-since": "Mon, 01 Jan 2024 00:00:00 GMT" }, object),
      "ok",
    );
    assert.equal(
      refusal(() => checkReadPreconditions({ "if-unmodified-since": "Mon, 01 Jan 2024 00:00:00 GMT" }, object)).status,
      412,
    );
    assert.equal(checkReadPreconditions({ "if-none-match": '"abc"' }, object), "not-modified");
    assert.equal(
      checkReadPreconditions({ "if-modified-since": "Wed, 03 Jan 2024 00:00:00 GMT" }, object),
      "not-modified",
    );
  });

  it("checks conditional writes: If-None-Match * only when absent, If-Match needs the object", () => {
    assert.doesNotThrow(() => checkWritePreconditions({ "if-none-match": "*" }, undefined));
    assert.equal(refusal(() => checkWritePreconditions({ "if-none-match": "*" }, object)).status, 412);
    assert.equal(refusal(() => checkWritePreconditions({ "if-match": '"abc"' }, undefined)).status, 404);
    assert.equal(refusal(() => checkWritePreconditions({ "if-none-match": '"abc"' }, object)).status, 501);
  });
});

describe("local S3 gate: keys and paths", () => {
  it("parses path-style targets without normalising them", () => {
    assert.deepEqual(
      { ...parseTarget("/bucket/a/../b%20c?x-id=GetObject&uploads") },
      {
        rawPath: "/bucket/a/../b%20c",
        rawQuery: "x-id=GetObject&uploads",
        bucket: "bucket",
        key: "a/../b c",
        query: [
          { name: "x-id", value: "GetObject" },
          { name: "uploads", value: "" },
        ],
      },
    );
    assert.equal(parseTarget("/bucket/").key, undefined);
    assert.equal(refusal(() => parseTarget("/../etc")).code, "InvalidBucketName");
    assert.equal(refusal(() => parseTarget("/bucket/%E0%A4%A")).code, "InvalidURI");
  });

  it("refuses keys s3rver would resolve outside their place on disk", () => {
    for (const key of ["../x", "a/../../x", "thumbnails/./x", "a//b", "a\0b"]) assert.ok(unsafeKeyReason(key), key);
    for (const key of ["uploads/x.png", "a/b/", "..x", "x..", ".hidden"])
      assert.equal(unsafeKeyReason(key), undefined, key);
  });
});

describe("local S3 gate: per-key locks", () => {
  it("lets readers share, makes writers exclusive and in arrival order, and forgets idle keys", async () => {
    const locks = new KeyLocks();
    const events: string[] = [];
    const r1 = await locks.acquire([{ key: "k", write: false }]);
    const r2 = await locks.acquire([{ key: "k", write: false }]);
    const w = locks.acquire([{ key: "k", write: true }]).then((release) => {
      events.push("writer");
      return release;
    });
    const r3 = locks.acquire([{ key: "k", write: false }]).then((release) => {
      events.push("late reader");
      return release;
    });
    // One turn of the event loop, not a wait: a lock granted by mistake would have resolved by now.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, []);
    r1();
    r2();
    (await w)();
    (await r3)();
    assert.deepEqual(events, ["writer", "late reader"]);
    assert.equal(locks.size, 0);
  });

  it("takes several keys without deadlocking against the opposite order", async () => {
    const locks = new KeyLocks();
    const a = locks.acquire([
      { key: "x", write: true },
      { key: "y", write: false },
    ]);
    const b = locks.acquire([
      { key: "y", write: true },
      { key: "x", write: false },
    ]);
    (await a)();
    (await b)();
    assert.equal(locks.size, 0);
  });
});
