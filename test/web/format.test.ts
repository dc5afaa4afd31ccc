import { strict as assert } from "node:assert";
import { formatBytes, formatDuration, formatResolution, orList, typeName } from "../../web/src/format";

describe("web: format", () => {
  it("formats byte counts the way the limits are configured (binary units)", () => {
    assert.equal(formatBytes(0), "0 bytes");
    assert.equal(formatBytes(1), "1 byte");
    assert.equal(formatBytes(1023), "1023 bytes");
    assert.equal(formatBytes(1024), "1 KB");
    assert.equal(formatBytes(1536), "1.5 KB");
    assert.equal(formatBytes(200_000), "195 KB");
    assert.equal(formatBytes(25 * 1024 * 1024), "25 MB");
    assert.equal(formatBytes(25 * 1024 * 1024 + 1), "25 MB");
    assert.equal(formatBytes(3 * 1024 ** 3), "3 GB");
  });

  it("formats durations", () => {
    assert.equal(formatDuration(0), "0 ms");
    assert.equal(formatDuration(842.4), "842 ms");
    assert.equal(formatDuration(1000), "1.0 s");
    assert.equal(formatDuration(12_345), "12.3 s");
  });

  it("names types, lists and resolutions for people", () => {
    assert.equal(typeName("image/webp"), "WebP");
    assert.equal(typeName("application/x-thing"), "application/x-thing");
    assert.equal(orList([]), "");
    assert.equal(orList(["JPEG"]), "JPEG");
    assert.equal(orList(["JPEG", "PNG", "GIF"]), "JPEG, PNG or GIF");
    assert.equal(formatResolution("256x128"), "256 × 128 px");
  });
});
