/**
 * docs/cases.md, Images, through the whole running service: each fixture is uploaded with the presigned
 * POST a browser uses, asked for at GET /thumbnail, and the public thumbnail is downloaded
 * anonymously and inspected. The unit suites (test/unit/image-*.test.ts) check makeThumbnail alone;
 * these check that what reaches the user is the same, and that refusals publish nothing.
 */
import { strict as assert } from "node:assert";
import sharp from "sharp";
import type { OutputFormat } from "../../../lambdas/shared/types";
import * as fx from "../../fixtures/images";
import { jpegEnd } from "../../fixtures/image-bytes";
import { colourDistance, colourName, pixelAt } from "../../fixtures/image-inspect";
import { uploadImage } from "../../helpers/http";
import type { TestService } from "../../helpers/service";
import {
  askThumbnail,
  download,
  executionOf,
  expectError,
  expectThumbnail,
  idOf,
  retriesOf,
  thumbnailQuery,
  withService,
  type Answer,
  type Bucket,
} from "./support";

const OUTPUTS: readonly OutputFormat[] = ["jpeg", "png", "webp", "avif"];

/** Red top-left, blue top-right, neither at the bottom: the phone fixture's markers, upright. */
async function assertUpright(image: Buffer, label: string): Promise<void> {
  assert.equal(colourName(await pixelAt(image, 0.04, 0.04)), "red", `${label}: top-left`);
  assert.equal(colourName(await pixelAt(image, 0.96, 0.04)), "blue", `${label}: top-right`);
  assert.equal(colourName(await pixelAt(image, 0.04, 0.96)), "other", `${label}: bottom-left`);
  assert.equal(colourName(await pixelAt(image, 0.96, 0.96)), "other", `${label}: bottom-right`);
}

async function assertSrgb8(image: Buffer, channels: number, label: string): Promise<void> {
  const meta = await sharp(image).metadata();
  assert.deepEqual([meta.space, meta.depth, meta.channels, meta.hasProfile], ["srgb", "uchar", channels, false], label);
}

describe("CASES Images: through the running service", function () {
  this.timeout(60_000);
  let svc: TestService;
  let buckets: Bucket;

  withService((running, client) => {
    svc = running;
    buckets = client;
  });

  /** Upload, ask, check the 200 and download the public thumbnail. */
  async function thumbnailOf(source: Buffer, contentType: string, res = "256x256", format?: OutputFormat) {
    const imageName = await uploadImage(svc.appUrl, source, contentType);
    const result = expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, res, format)));
    const bytes = await download(result.url);
    assert.equal(bytes.length, result.bytes);
    const meta = await sharp(bytes).metadata();
    assert.deepEqual(
      [meta.width, meta.height, meta.format],
      [result.width, result.height, result.format === "avif" ? "heif" : result.format],
    );
    return { imageName, result, bytes, meta };
  }

  /** Upload, ask, and check the refusal; nothing of it under thumbnails/ or staging/. */
  async function refusal(
    source: Buffer,
    contentType: string,
    status: number,
    code: string,
  ): Promise<{ r: Answer; message: string }> {
    const imageName = await uploadImage(svc.appUrl, source, contentType);
    const r = await askThumbnail(svc, thumbnailQuery(imageName));
    const body = expectError(r, status, code);
    const log = executionOf(svc, r);
    assert.deepEqual(retriesOf(log, "Resize"), [0], "refused by Resize, once, and not retried");
    assert.deepEqual(
      await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`),
      [],
      "nothing published",
    );
    assert.deepEqual(await buckets.list(svc.config.thumbnailBucket, `staging/${r.requestId}/`), [], "nothing staged");
    return { r, message: body.error.message };
  }

  describe("EXIF orientation and metadata", () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      const portrait = orientation >= 5;
      it(`orientation ${orientation} -> upright ${portrait ? "192x256" : "256x192"}, no EXIF, GPS, XMP, ICC or comment`, async () => {
        const photo = await fx.phoneJpegRotated(orientation, 800, 600);
        const { bytes, meta } = await thumbnailOf(photo, "image/jpeg");
        assert.deepEqual([meta.width, meta.height], portrait ? [192, 256] : [256, 192]);
        await assertUpright(bytes, `orientation ${orientation}`);
        assert.deepEqual(
          [meta.orientation, meta.exif, meta.xmp, meta.icc],
          [undefined, undefined, undefined, undefined],
        );
        for (const text of fx.PHONE_METADATA_STRINGS)
          assert.ok(!bytes.includes(text), `the thumbnail contains ${text}`);
      });
    }

    it("a sideways phone photo is upright and stripped in every output format", async () => {
      const photo = await fx.phoneJpegRotated(6, 800, 600);
      assert.ok(
        fx.PHONE_METADATA_STRINGS.every((t) => photo.includes(t)),
        "the fixture carries the metadata",
      );
      const imageName = await uploadImage(svc.appUrl, photo, "image/jpeg");
      for (const format of OUTPUTS) {
        const result = expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "256x256", format)));
        const bytes = await download(result.url);
        const meta = await sharp(bytes).metadata();
        assert.deepEqual([meta.width, meta.height], [192, 256], format);
        await assertUpright(bytes, format);
        assert.deepEqual([meta.exif, meta.xmp, meta.icc], [undefined, undefined, undefined], format);
        for (const text of fx.PHONE_METADATA_STRINGS) assert.ok(!bytes.includes(text), `${format} contains ${text}`);
      }
    });
  });

  describe("colour: 8-bit sRGB out of anything", () => {
    it("CMYK JPEG -> sRGB, red still red and blue still blue", async () => {
      const dominant = ([r = 0, g = 0, b = 0]: number[]): string =>
        r > g + 60 && r > b + 60 ? "red" : b > r + 60 && b > g + 40 ? "blue" : "other";
      const { bytes } = await thumbnailOf(await fx.cmykJpeg(), "image/jpeg", "256x256", "png");
      await assertSrgb8(bytes, 3, "CMYK");
      assert.equal(dominant(await pixelAt(bytes, 0.2, 0.5)), "red");
      assert.equal(dominant(await pixelAt(bytes, 0.8, 0.5)), "blue");
    });

    const colourSources: [string, () => Promise<Buffer>][] = [
      ["16-bit PNG", () => fx.png16bit()],
      ["PNG with a Display P3 ICC profile", () => fx.pngWithIccProfile()],
      ["16-bit PNG with a Display P3 ICC profile", () => fx.png16bitWithP3Profile()],
    ];
    for (const [name, build] of colourSources) {
      it(`${name} -> 8-bit sRGB of the same colour, no profile`, async () => {
        const { bytes } = await thumbnailOf(await build(), "image/png", "256x256", "png");
        await assertSrgb8(bytes, 3, name);
        const px = await pixelAt(bytes, 0.5, 0.5);
        assert.ok(colourDistance(px, fx.ICC_TEST_COLOUR) <= 3, `${name}: ${px.join(",")}`);
      });
    }

    it("PNG with alpha -> png keeps the alpha; -> jpeg is flattened onto white", async () => {
      const source = await fx.pngWithAlpha();
      const imageName = await uploadImage(svc.appUrl, source, "image/png");
      const png = await download(
        expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "256x256", "png"))).url,
      );
      await assertSrgb8(png, 4, "png");
      assert.ok(((await pixelAt(png, 0.2, 0.2))[3] ?? 0) >= 250, "opaque stays opaque");
      assert.ok(((await pixelAt(png, 0.8, 0.2))[3] ?? 255) <= 5, "transparent stays transparent");
      const jpeg = await download(
        expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "256x256", "jpeg"))).url,
      );
      await assertSrgb8(jpeg, 3, "jpeg");
      assert.equal(colourName(await pixelAt(jpeg, 0.2, 0.2)), "red");
      assert.equal(colourName(await pixelAt(jpeg, 0.8, 0.2)), "white");
    });
  });

  describe("animations", () => {
    for (const [name, build, type] of [
      ["animated GIF", () => fx.animatedGif(4, 300, 200), "image/gif"],
      ["animated WebP", () => fx.animatedWebp(4, 300, 200), "image/webp"],
    ] as const) {
      it(`${name} -> its first frame, a still image`, async () => {
        const source = await build();
        assert.equal((await sharp(source).metadata()).pages, 4, "the fixture is animated");
        for (const format of ["webp", "png"] as const) {
          const { bytes, meta } = await thumbnailOf(source, type, "256x256", format);
          assert.deepEqual([meta.width, meta.height, meta.pages ?? 1], [256, 171, 1], format);
          assert.equal(colourName(await pixelAt(bytes, 0.5, 0.5)), "red", `${format}: frame 0 is red`);
        }
      });
    }

    it("200 frames of 1000x1000 (twice the 100 MP limit in all) -> 200, frame 0 only", async () => {
      const gif = await fx.manyFrameGif(200, 1000, 1000);
      const imageName = await uploadImage(svc.appUrl, gif, "image/gif");
      // Every frame as RGBA would be 800 MB and seconds of LZW: only frame 0 counts against the limit.
      const bytes = await download(
        expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "256x256", "png"))).url,
      );
      assert.equal(colourName(await pixelAt(bytes, 0.5, 0.5)), "red", "frame 0 is red, every other green");
    });
  });

  describe("hostile and broken files", () => {
    it("a JPEG with a payload after its end marker (polyglot) -> 200, and the payload is gone", async () => {
      const polyglot = await fx.jpegWithTrailingPayload();
      const imageName = await uploadImage(svc.appUrl, polyglot, "image/jpeg");
      for (const format of OUTPUTS) {
        const bytes = await download(
          expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "256x256", format))).url,
        );
        for (const needle of ["PK\x03\x04", "evil.html", "<script>", "polyglot"]) {
          assert.ok(!bytes.includes(needle), `${format} thumbnail contains ${JSON.stringify(needle)}`);
        }
        if (format === "jpeg") assert.equal(jpegEnd(bytes), bytes.length, "nothing after the thumbnail's end marker");
      }
    });

    const bombs: [string, () => Promise<Buffer>, string, RegExp][] = [
      ["a ~300-byte PNG declaring 20000x20000", () => fx.pngBombHeader(20000, 20000), "image/png", /20000x20000/],
      ["a JPEG whose header claims 60000x60000", () => fx.jpegBombHeader(60000, 60000), "image/jpeg", /60000x60000/],
    ];
    for (const [name, build, type, size] of bombs) {
      it(`${name} -> 422 ImageTooLarge giving the header's size and the limit, nothing published`, async () => {
        // Decoding would need gigabytes; makeThumbnail refuses from the header (test/unit/image-hostile.test.ts).
        const result = await refusal(await build(), type, 422, "ImageTooLarge");
        assert.match(result.message, size);
        assert.match(result.message, /limit is 100000000 pixels/);
      });
    }

    const broken: [string, () => Promise<Buffer>, string][] = [
      ["a truncated JPEG", fx.truncatedJpeg, "image/jpeg"],
      ["a truncated PNG", fx.truncatedPng, "image/png"],
      ["a truncated GIF", fx.truncatedGif, "image/gif"],
      ["a truncated WebP", fx.truncatedWebp, "image/webp"],
      ["a PNG with a bad CRC", fx.pngBadCrc, "image/png"],
      ["a PNG with a corrupt header", fx.corruptPngHeader, "image/png"],
      ["a JPEG with a corrupt header", fx.corruptJpegHeader, "image/jpeg"],
    ];
    for (const [name, build, type] of broken) {
      it(`${name} -> 422 CorruptImage, no thumbnail at all`, async () => {
        await refusal(await build(), type, 422, "CorruptImage");
      });
    }

    const notRaster: [string, () => Promise<Buffer>, string][] = [
      ["an SVG with a script, named .webp", fx.svgWithScript, "image/webp"],
      ["an SVG with external references, named .jpg", fx.svgWithExternalRef, "image/jpeg"],
      ["an HTML page, named .gif", fx.html, "image/gif"],
      ["a PDF, named .jpg", fx.pdf, "image/jpeg"],
      ["an HEIC, named .avif", fx.heicHeader, "image/avif"],
      ["a text file, named .jpg", fx.textFile, "image/jpeg"],
    ];
    for (const [name, build, type] of notRaster) {
      it(`${name} -> 415 UnsupportedImageType by its bytes`, async () => {
        await refusal(await build(), type, 415, "UnsupportedImageType");
      });
    }

    it("an extension that lies the other way (a PNG named .jpg) -> 200: the bytes decide", async () => {
      const { imageName, result } = await thumbnailOf(await fx.png(320, 240), "image/jpeg", "128x128", "png");
      assert.match(imageName, /\.jpg$/);
      assert.deepEqual([result.width, result.height], [128, 96]);
    });
  });

  it("the same input twice (two uploads of the same bytes) -> byte-identical thumbnails", async () => {
    const source = await fx.jpeg(640, 480, 21);
    const a = await thumbnailOf(source, "image/jpeg", "128x128", "webp");
    const b = await thumbnailOf(Buffer.from(source), "image/jpeg", "128x128", "webp");
    assert.notEqual(a.result.url, b.result.url, "two uploads, two thumbnails");
    assert.ok(a.bytes.equals(b.bytes), "byte-identical");
  });
});

describe("CASES Images: a pathologically slow decode (processing timeout 1 s)", function () {
  this.timeout(60_000);
  let svc: TestService;
  let buckets: Bucket;

  withService(
    (running, client) => {
      svc = running;
      buckets = client;
    },
    { overrides: { PROCESSING_TIMEOUT_SECONDS: "1" } },
  );

  it("a valid 100 MP image that takes seconds -> the timeout fires -> 422, Resize not retried, nothing published", async () => {
    const slow = await fx.slowDecodeImage();
    const meta = await sharp(slow).metadata();
    assert.ok(
      meta.width * meta.height <= svc.config.maxInputPixels,
      "within the pixel limit: only the timeout can stop it",
    );
    const imageName = await uploadImage(svc.appUrl, slow, "image/png");
    const r = await askThumbnail(svc, thumbnailQuery(imageName));
    const body = expectError(r, 422, "ImageTooLarge");
    assert.match(body.error.message, /took longer than 1 s/);
    const log = executionOf(svc, r);
    // One attempt, refused by the processing timeout (not Resize's TimeoutSeconds), and never retried.
    assert.deepEqual(retriesOf(log, "Resize"), [0], "one Resize visit with 0 retries");
    assert.equal(log?.states.find((s) => s.state === "Resize")?.error, "ImageTooLarge");
    assert.equal(log?.status, "FAILED");
    assert.deepEqual(await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`), []);
  });
});
