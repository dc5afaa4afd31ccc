/**
 * How the local S3 resolves a Range header (local/s3/byte-range.ts). The cases on a 10-byte object
 * are S3's answers as recorded against AWS (LocalStack's test_get_object_range snapshot); the rest
 * follow RFC 9110 section 14 where S3 does.
 */
import { strict as assert } from "node:assert";
import { contentRange, resolveByteRange, type ByteRange } from "../../local/s3/byte-range";

const part = (start: number, end: number): ByteRange => ({ kind: "part", start, end });
const WHOLE: ByteRange = { kind: "whole" };
const UNSATISFIABLE: ByteRange = { kind: "unsatisfiable" };

describe("local S3: Range headers resolved as S3 resolves them", () => {
  const recordedOnAws: [string, ByteRange][] = [
    ["bytes=0-8", part(0, 8)],
    ["bytes=1-1", part(1, 1)],
    ["bytes=1-0", WHOLE],
    ["bytes=1-", part(1, 9)],
    ["bytes=-1-", WHOLE],
    ["bytes=-2", part(8, 9)],
    ["bytes=-9", part(1, 9)],
    ["bytes=-15", part(0, 9)],
    ["bytes=0-100", part(0, 9)],
    ["bytes=0-0", part(0, 0)],
    ["bytes=0--1", WHOLE],
    ["bytes=0-1,3-4,7-9", WHOLE],
    ["0-1", WHOLE],
    ["bytes=-", WHOLE],
    ["bytes=-0", UNSATISFIABLE],
    ["bytes=100-200", UNSATISFIABLE],
  ];
  for (const [header, expected] of recordedOnAws) {
    const answer = expected.kind === "part" ? `bytes ${expected.start}-${expected.end}` : expected.kind;
    it(`${header} of 10 bytes -> ${answer}`, () => {
      assert.deepEqual(resolveByteRange(header, 10), expected);
    });
  }

  it("no header, another unit or stray characters: the whole object", () => {
    for (const header of [undefined, "", "items=0-1", "bytes=a-b", "bytes= 0-1", "bytes=+1-2"]) {
      assert.deepEqual(resolveByteRange(header, 10), WHOLE, String(header));
    }
  });

  it("the unit is case-insensitive (RFC 9110 14.1)", () => {
    assert.deepEqual(resolveByteRange("Bytes=-3", 10), part(7, 9));
  });

  it("a first byte at or past the end is unsatisfiable, for an empty object too", () => {
    assert.deepEqual(resolveByteRange("bytes=10-", 10), UNSATISFIABLE);
    assert.deepEqual(resolveByteRange("bytes=9-", 10), part(9, 9));
    assert.deepEqual(resolveByteRange("bytes=0-", 0), UNSATISFIABLE);
    assert.deepEqual(resolveByteRange("bytes=0-0", 0), UNSATISFIABLE);
  });

  it("a suffix of an empty object is the (empty) whole object; of a non-empty one, at most all of it", () => {
    assert.deepEqual(resolveByteRange("bytes=-5", 0), WHOLE);
    assert.deepEqual(resolveByteRange("bytes=-10", 10), part(0, 9));
    assert.deepEqual(resolveByteRange("bytes=-1", 1), part(0, 0));
  });

  it("Content-Range names the part, or the size a 416 could not satisfy", () => {
    assert.equal(contentRange(part(8, 9), 10), "bytes 8-9/10");
    assert.equal(contentRange(UNSATISFIABLE, 10), "bytes */10");
  });
});
