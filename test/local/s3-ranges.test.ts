/**
 * Ranged reads of the local S3, through the real SDK and raw HTTP, answered as S3 answers them
 * (test/unit/byte-range.test.ts has the resolution rules case by case): 206 with Content-Range for a
 * part, the last N bytes for `bytes=-N`, 416 InvalidRange with S3's details when nothing can be
 * served, 200 with the whole object for a header S3 ignores. s3rver alone gets the suffix form wrong;
 * the first test shows it on the same files.
 */
import { strict as assert } from "node:assert";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Backend } from "../../local/s3/backend";
import { failure, SOURCE_BUCKET, startFixture, THUMB_BUCKET, type Fixture } from "./s3-support";

const DIGITS = "0123456789";
const KEY = "thumbnails/digits.txt";
const EMPTY_KEY = "thumbnails/empty.txt";
const LARGE_KEY = "uploads/large.bin";
/** Several of the gate's 1 MiB reads, not a multiple of them, and not one repeated byte. */
const LARGE = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_v, i) => (i * 31) % 251));

describe("local S3: ranged reads as S3 answers them", () => {
  let f: Fixture;
  const url = (key: string) => `${f.s3.endpoint}/${THUMB_BUCKET}/${key}`;
  const get = (key: string, range: string, bucket = THUMB_BUCKET) =>
    f.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));

  before(async () => {
    f = await startFixture();
    const put = { Bucket: THUMB_BUCKET, Key: KEY, Body: DIGITS, ContentType: "text/plain" };
    await f.client.send(new PutObjectCommand(put));
    await f.client.send(new PutObjectCommand({ Bucket: THUMB_BUCKET, Key: EMPTY_KEY, Body: new Uint8Array(0) }));
    await f.client.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: LARGE_KEY, Body: LARGE }));
  });
  after(async () => {
    await f.close();
  });

  it("s3rver alone answers bytes=-4 with the first 5 bytes; through the gate it is the last 4", async () => {
    const raw = await Backend.start(f.dataDir, [SOURCE_BUCKET, THUMB_BUCKET]);
    try {
      const res = await raw.request({ method: "GET", path: `/${THUMB_BUCKET}/${KEY}`, headers: { range: "bytes=-4" } });
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      assert.equal(Buffer.concat(chunks).toString(), "01234");
    } finally {
      await raw.close();
    }
    const viaGate = await get(KEY, "bytes=-4");
    assert.equal(await viaGate.Body?.transformToString(), "6789");
  });

  it("GetObject bytes=-N: 206, the last N bytes, Content-Range bytes <size-N>-<size-1>/<size>", async () => {
    const out = await get(KEY, "bytes=-4");
    assert.equal(out.$metadata.httpStatusCode, 206);
    assert.equal(out.ContentRange, "bytes 6-9/10");
    assert.equal(out.ContentLength, 4);
    assert.equal(out.ContentType, "text/plain");
    assert.equal(await out.Body?.transformToString(), "6789");
  });

  it("GetObject bytes=-N with N >= size: 206 with the whole object", async () => {
    for (const range of ["bytes=-10", "bytes=-15"]) {
      const out = await get(KEY, range);
      assert.equal(out.$metadata.httpStatusCode, 206, range);
      assert.equal(out.ContentRange, "bytes 0-9/10", range);
      assert.equal(await out.Body?.transformToString(), DIGITS, range);
    }
  });

  it("GetObject bytes=N- and bytes=N-M (cut at the end), bytes=0-0", async () => {
    const cases: [string, string, string][] = [
      ["bytes=7-", "bytes 7-9/10", "789"],
      ["bytes=2-4", "bytes 2-4/10", "234"],
      ["bytes=8-700", "bytes 8-9/10", "89"],
      ["bytes=0-0", "bytes 0-0/10", "0"],
    ];
    for (const [range, contentRange, body] of cases) {
      const out = await get(KEY, range);
      assert.equal(out.$metadata.httpStatusCode, 206, range);
      assert.equal(out.ContentRange, contentRange, range);
      assert.equal(out.ContentLength, body.length, range);
      assert.equal(await out.Body?.transformToString(), body, range);
    }
  });

  it("GetObject with an unsatisfiable range: 416 InvalidRange", async () => {
    for (const range of ["bytes=10-", "bytes=100-200", "bytes=-0"]) {
      const err = await failure(get(KEY, range));
      assert.equal(err.name, "InvalidRange", range);
      assert.equal(err.$metadata.httpStatusCode, 416, range);
    }
  });

  it("GetObject with a header S3 ignores (several ranges, last < first, no unit): 200, the whole object", async () => {
    for (const range of ["bytes=0-1,3-4", "bytes=5-2", "0-1", "bytes=-"]) {
      const out = await get(KEY, range);
      assert.equal(out.$metadata.httpStatusCode, 200, range);
      assert.equal(out.ContentRange, undefined, range);
      assert.equal(await out.Body?.transformToString(), DIGITS, range);
    }
  });

  it("an empty object: bytes=-N is 200 and empty, bytes=0- is 416", async () => {
    const suffix = await get(EMPTY_KEY, "bytes=-3");
    assert.equal(suffix.$metadata.httpStatusCode, 200);
    assert.equal(await suffix.Body?.transformToString(), "");
    const err = await failure(get(EMPTY_KEY, "bytes=0-"));
    assert.equal(err.name, "InvalidRange");
  });

  it("HeadObject with a range: 206, the part's length and Content-Range; 416 when unsatisfiable", async () => {
    const head = await f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: KEY, Range: "bytes=-4" }));
    assert.equal(head.$metadata.httpStatusCode, 206);
    assert.equal(head.ContentLength, 4);
    assert.equal(head.ContentRange, "bytes 6-9/10");
    const past = new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: KEY, Range: "bytes=20-" });
    const err = await failure(f.client.send(past));
    assert.equal(err.$metadata.httpStatusCode, 416);
  });

  it("a suffix of a multi-megabyte object crosses the gate's read chunks byte for byte", async () => {
    const n = 1024 * 1024 + 5;
    const out = await get(LARGE_KEY, `bytes=-${n}`, SOURCE_BUCKET);
    assert.equal(out.ContentRange, `bytes ${LARGE.length - n}-${LARGE.length - 1}/${LARGE.length}`);
    assert.deepEqual(Buffer.from(await out.Body!.transformToByteArray()), LARGE.subarray(LARGE.length - n));
    const middle = await get(LARGE_KEY, "bytes=1048570-2097160", SOURCE_BUCKET);
    assert.deepEqual(Buffer.from(await middle.Body!.transformToByteArray()), LARGE.subarray(1048570, 2097161));
  });

  it("raw HTTP: 206 with Content-Range for a suffix; 416 with Content-Range bytes */size, S3's body", async () => {
    const part = await fetch(url(KEY), { headers: { range: "bytes=-3" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 7-9/10");
    assert.equal(part.headers.get("content-length"), "3");
    assert.equal(part.headers.get("accept-ranges"), "bytes");
    assert.equal(await part.text(), "789");

    const refused = await fetch(url(KEY), { headers: { range: "bytes=20-" } });
    assert.equal(refused.status, 416);
    assert.equal(refused.headers.get("content-range"), "bytes */10");
    const xml = await refused.text();
    assert.match(xml, /<Code>InvalidRange<\/Code><Message>The requested range is not satisfiable<\/Message>/);
    assert.match(xml, /<RangeRequested>bytes=20-<\/RangeRequested><ActualObjectSize>10<\/ActualObjectSize>/);
  });

  it("preconditions first: 304 for a matching If-None-Match, 412 for a failing If-Match past the end", async () => {
    const { ETag } = await f.client.send(new HeadObjectCommand({ Bucket: THUMB_BUCKET, Key: KEY }));
    const notModified = await fetch(url(KEY), { headers: { range: "bytes=-3", "if-none-match": ETag ?? "" } });
    assert.equal(notModified.status, 304);
    const stale = new GetObjectCommand({ Bucket: THUMB_BUCKET, Key: KEY, Range: "bytes=50-", IfMatch: '"0123"' });
    const err = await failure(f.client.send(stale));
    assert.equal(err.$metadata.httpStatusCode, 412);
  });

  it("a ranged read left to s3rver (response-* overrides) is refused, not answered with the wrong bytes", async () => {
    const overridden = { Bucket: THUMB_BUCKET, Key: KEY, Range: "bytes=-3", ResponseContentType: "text/csv" };
    const err = await failure(f.client.send(new GetObjectCommand(overridden)));
    assert.equal(err.name, "NotImplemented");
    assert.equal(err.$metadata.httpStatusCode, 501);
  });
});
