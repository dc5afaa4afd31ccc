import { strict as assert } from "node:assert";
import sharp from "sharp";
import { makeThumbnail } from "../../lambdas/resize/image";
import type { OutputFormat } from "../../lambdas/shared/types";
import * as fx from "../fixtures/images";
import { exifTagIds, jpegSegments, pngChunks, riffChunks } from "../fixtures/image-bytes";
import { colourName, pixelAt, thumbOptions } from "../fixtures/image-inspect";

const OUTPUTS: readonly OutputFormat[] = ["jpeg", "png", "webp", "avif"];

/** Where each corner's marker must be once upright: red top-left, blue top-right, neither at the bottom. */
async function assertUpright(image: Buffer, label: string): Promise<void> {
  assert.equal(colourName(await pixelAt(image, 0.04, 0.04)), "red", `${label}: top-left`);
  assert.equal(colourName(await pixelAt(image, 0.96, 0.04)), "blue", `${label}: top-right`);
  for (const [x, y] of [
    [0.04, 0.96],
    [0.96, 0.96],
  ] as const) {
    assert.equal(colourName(await pixelAt(image, x, y)), "other", `${label}: bottom corner (${x},${y})`);
  }
}

describe("makeThumbnail: EXIF orientation", () => {
  for (let orientation = 1; orientation <= 8; orientation++) {
    const portrait = orientation >= 5;
    it(`orientation ${orientation}: upright, ${portrait ? "portrait 192x256" : "landscape 256x192"}, no orientation tag left`, async () => {
      const src = await fx.phoneJpegRotated(orientation, 800, 600);
      const meta = await sharp(src).metadata();
      assert.deepEqual(
        [meta.width, meta.height, meta.orientation],
        [800, 600, orientation],
        "stored as the sensor wrote it",
      );
      const out = await makeThumbnail(src, thumbOptions());
      assert.deepEqual([out.width, out.height], portrait ? [192, 256] : [256, 192]);
      assert.equal((await sharp(out.data).metadata()).orientation, undefined);
      await assertUpright(out.data, `orientation ${orientation}`);
    });
  }

  it("a 12 MP phone photo held upright (orientation 6): 192x256 and upright in every format", async () => {
    const src = await fx.phoneJpeg12mpRotated(6);
    for (const format of OUTPUTS) {
      const out = await makeThumbnail(src, thumbOptions({ format }));
      assert.deepEqual([out.width, out.height], [192, 256], format);
      await assertUpright(out.data, format);
    }
  });
});

describe("makeThumbnail: all metadata is stripped", () => {
  let phone: Buffer;
  before(async () => {
    phone = await fx.phoneJpeg12mpRotated(6);
    // The fixture must really carry what we claim is removed, or the tests below prove nothing.
    const meta = await sharp(phone).metadata();
    assert.ok(meta.exif && meta.xmp && meta.icc, "fixture has EXIF, XMP and an ICC profile");
    const tags = exifTagIds(meta.exif);
    assert.ok(tags.ifd0.includes(0x010f) && tags.ifd0.includes(0x0110), "fixture has camera make and model");
    assert.ok(tags.gps.includes(0x0002) && tags.gps.includes(0x0004), "fixture has GPS latitude and longitude");
    assert.ok(
      jpegSegments(phone).some((s) => s.marker === 0xfe),
      "fixture has a COM segment",
    );
    for (const text of fx.PHONE_METADATA_STRINGS) assert.ok(phone.includes(text), `fixture contains ${text}`);
  });

  for (const format of OUTPUTS) {
    it(`${format}: no EXIF (GPS, camera), XMP, ICC profile or comment, in metadata or bytes`, async () => {
      const out = await makeThumbnail(phone, thumbOptions({ format }));
      const meta = await sharp(out.data).metadata();
      assert.equal(meta.exif, undefined);
      assert.equal(meta.xmp, undefined);
      assert.equal(meta.iptc, undefined);
      assert.equal(meta.icc, undefined);
      assert.equal(meta.hasProfile, false);
      assert.equal(meta.comments, undefined);
      for (const text of [...fx.PHONE_METADATA_STRINGS, "Exif\0\0", "http://ns.adobe.com"]) {
        assert.ok(!out.data.includes(text), `output contains ${JSON.stringify(text)}`);
      }
    });
  }

  it("jpeg: only image-coding segments (no APP1 EXIF/XMP, APP2 ICC, APP13 IPTC or COM)", async () => {
    const out = await makeThumbnail(phone, thumbOptions({ format: "jpeg" }));
    // SOI, JFIF APP0, DQT, SOF0/SOF2, DHT, SOS, EOI.
    const allowed = new Set([0xd8, 0xe0, 0xdb, 0xc0, 0xc2, 0xc4, 0xda, 0xd9]);
    const markers = jpegSegments(out.data).map((s) => s.marker);
    assert.deepEqual(
      markers.filter((m) => !allowed.has(m)).map((m) => m.toString(16)),
      [],
    );
  });

  it("png: only IHDR, pHYs, IDAT and IEND chunks, also from a PNG with tEXt and eXIf", async () => {
    for (const src of [phone, await fx.pngWithTextAndExif()]) {
      const out = await makeThumbnail(src, thumbOptions({ format: "png" }));
      const chunks = pngChunks(out.data);
      // pHYs (pixel density, 9 bytes) is written by libvips for every PNG; it describes no one.
      assert.deepEqual(
        [...new Set(chunks.map((c) => c.type))].filter((t) => t !== "pHYs"),
        ["IHDR", "IDAT", "IEND"],
      );
      assert.ok(chunks.filter((c) => c.type === "pHYs").every((c) => c.data.length === 9));
    }
    const withText = await fx.pngWithTextAndExif();
    assert.ok(pngChunks(withText).some((c) => c.type === "tEXt") && pngChunks(withText).some((c) => c.type === "eXIf"));
  });

  it("webp: no EXIF, XMP or ICCP chunks", async () => {
    const out = await makeThumbnail(phone, thumbOptions({ format: "webp" }));
    const chunks = riffChunks(out.data);
    assert.deepEqual(
      chunks.filter((c) => !["VP8 ", "VP8L", "VP8X", "ALPH"].includes(c)),
      [],
    );
  });
});
