import { strict as assert } from "node:assert";
import {
  fitName,
  formatBytes,
  formatDuration,
  formatResolution,
  NBSP,
  orList,
  positionName,
  typeName,
} from "../../../web/src/format";
import { shownWidth } from "../../../web/src/sizing";

/** The page joins numbers and units with a no-break space; compare with ordinary spaces. */
const plain = (s: string): string => s.split(NBSP).join(" ");

describe("web: format", () => {
  it("formats byte counts the way the limits are configured (binary units)", () => {
    const cases: [number, string][] = [
      [0, "0 bytes"],
      [1, "1 byte"],
      [1023, "1023 bytes"],
      [1024, "1 KB"],
      [1536, "1.5 KB"],
      [200_000, "195 KB"],
      [25 * 1024 * 1024, "25 MB"],
      [25 * 1024 * 1024 + 1, "25 MB"],
      [3 * 1024 ** 3, "3 GB"],
    ];
    for (const [bytes, text] of cases) assert.equal(plain(formatBytes(bytes)), text, String(bytes));
  });

  it("never lets a number and its unit break apart", () => {
    assert.equal(formatBytes(2048), `2${NBSP}KB`);
    assert.equal(formatResolution("64x32"), `64${NBSP}×${NBSP}32${NBSP}px`);
  });

  it("formats durations", () => {
    assert.equal(plain(formatDuration(0)), "0 ms");
    assert.equal(plain(formatDuration(842.4)), "842 ms");
    assert.equal(plain(formatDuration(1000)), "1.0 s");
    assert.equal(plain(formatDuration(12_345)), "12.3 s");
  });

  it("names types, lists and resolutions for people", () => {
    assert.equal(typeName("image/webp"), "WebP");
    assert.equal(typeName("application/x-thing"), "application/x-thing");
    assert.equal(orList([]), "");
    assert.equal(orList(["JPEG"]), "JPEG");
    assert.equal(orList(["JPEG", "PNG", "GIF"]), "JPEG, PNG or GIF");
    assert.equal(plain(formatResolution("256x128")), "256 × 128 px");
    assert.equal(formatResolution("not-a-size"), "not-a-size");
  });

  it("names fits and crop focuses in plain words, and shows an unknown one as the service names it", () => {
    assert.deepEqual(["inside", "cover", "squash"].map(fitName), ["Fit inside", "Crop to fill", "squash"]);
    assert.deepEqual(["attention", "entropy", "center", "top"].map(positionName), [
      "Most interesting part",
      "Most detailed part",
      "Centre",
      "top",
    ]);
  });

  it("works out where a thumbnail will show, so its placeholder can take that place first", () => {
    assert.equal(shownWidth(256, 171, 320), 256, "small enough: its own size");
    assert.equal(shownWidth(1024, 1024, 320), 320, "too tall: scaled to the frame's height");
    assert.equal(shownWidth(512, 1024, 320), 160);
  });
});
