/** The placeholder every thumbnail carries: a tiny blurred WebP data: URI of at most 1 KB. */
import { strict as assert } from "node:assert";
import sharp from "sharp";
import { makeThumbnail, type ThumbnailOptions } from "../../lambdas/resize/image";
import { PLACEHOLDER_SIDE } from "../../lambdas/resize/placeholder";
import { PLACEHOLDER_MAX_LENGTH, PLACEHOLDER_PREFIX, isPlaceholder } from "../../lambdas/shared/placeholder";
import * as validators from "../../lambdas/shared/validators";
import * as fx from "../fixtures/images";
import { riffChunks } from "../fixtures/image-bytes";
import { colourDistance, pixelAt, thumbOptions } from "../fixtures/image-inspect";

/** The placeholder's WebP bytes, after checking the data: URI's form and length. */
function bytesOf(placeholder: string): Buffer {
  assert.ok(placeholder.startsWith(PLACEHOLDER_PREFIX), placeholder.slice(0, 40));
  assert.ok(placeholder.length <= PLACEHOLDER_MAX_LENGTH, `${placeholder.length} characters`);
  assert.ok(isPlaceholder(placeholder));
  return Buffer.from(placeholder.slice(PLACEHOLDER_PREFIX.length), "base64");
}

/** The largest excess of red over the mean of green and blue, over an image's pixels. */
async function warmest(image: Buffer): Promise<number> {
  const { data } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let most = -255;
  for (let at = 0; at < data.length; at += 3)
    most = Math.max(most, (data[at] ?? 0) - ((data[at + 1] ?? 0) + (data[at + 2] ?? 0)) / 2);
  return most;
}

/** Mean colour of an image, its alpha ignored. */
async function meanColour(image: Buffer): Promise<number[]> {
  const stats = await sharp(image).removeAlpha().stats();
  return stats.channels.slice(0, 3).map((c) => c.mean);
}

describe("placeholders", () => {
  const cases: [string, () => Promise<Buffer>, ThumbnailOptions][] = [
    ["a landscape JPEG -> jpeg 256x171", () => fx.jpeg(1200, 800), thumbOptions()],
    ["a portrait PNG -> png", () => fx.png(480, 640), thumbOptions({ format: "png" })],
    ["a WebP -> avif", () => fx.webp(), thumbOptions({ format: "avif" })],
    ["a panorama -> a 256x6 strip", () => fx.jpeg(2000, 50), thumbOptions()],
    ["a cover crop 128x256", () => fx.jpeg(1200, 800), thumbOptions({ width: 128, height: 256, fit: "cover" })],
    ["a tiny source (10x5), smaller than the placeholder's side", () => fx.jpeg(10, 5), thumbOptions()],
  ];
  for (const [name, build, options] of cases) {
    it(`${name}: a WebP data: URI <= 1 KB that decodes, with the thumbnail's aspect ratio and colours`, async () => {
      const thumb = await makeThumbnail(await build(), options);
      const bytes = bytesOf(thumb.placeholder);
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.format, "webp");
      const [pw = 0, ph = 0] = [meta.width, meta.height];
      // The longer side is PLACEHOLDER_SIDE (or the thumbnail's, when smaller: never enlarged) ...
      assert.equal(Math.max(pw, ph), Math.min(PLACEHOLDER_SIDE, Math.max(thumb.width, thumb.height)));
      // ... and the shorter one the thumbnail's shape at that scale, rounded to whole pixels.
      const scale = Math.max(pw, ph) / Math.max(thumb.width, thumb.height);
      assert.ok(
        Math.abs(pw - thumb.width * scale) <= 1 && Math.abs(ph - thumb.height * scale) <= 1,
        `${pw}x${ph} for ${thumb.width}x${thumb.height}`,
      );
      const [mean, thumbMean] = await Promise.all([meanColour(bytes), meanColour(thumb.data)]);
      assert.ok(
        colourDistance(mean, thumbMean) <= 12,
        `placeholder ${mean.join(",")} vs thumbnail ${thumbMean.join(",")}`,
      );
    });
  }

  it("carries no metadata: no EXIF, XMP or ICC chunk, none of the source's strings", async () => {
    const photo = await fx.phoneJpegRotated(6, 800, 600);
    const thumb = await makeThumbnail(photo, thumbOptions({ format: "webp" }));
    const bytes = bytesOf(thumb.placeholder);
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.exif, meta.xmp, meta.icc, meta.orientation], [undefined, undefined, undefined, undefined]);
    for (const chunk of riffChunks(bytes))
      assert.ok(["VP8 ", "VP8L", "VP8X", "ALPH"].includes(chunk), `chunk ${chunk}`);
    for (const text of fx.PHONE_METADATA_STRINGS) assert.ok(!bytes.includes(text), `the placeholder contains ${text}`);
    // Upright as the thumbnail is: portrait, red at the top-left.
    assert.ok((meta.height ?? 0) > (meta.width ?? 0));
    assert.ok(
      colourDistance(await pixelAt(bytes, 0.05, 0.05), fx.RED) <
        colourDistance(await pixelAt(bytes, 0.05, 0.95), fx.RED),
    );
  });

  it("keeps the thumbnail's transparency, and is flattened onto white like a JPEG thumbnail", async () => {
    const source = await fx.pngWithAlpha(); // left half red, right half transparent
    const png = await makeThumbnail(source, thumbOptions({ format: "png" }));
    const translucent = await sharp(bytesOf(png.placeholder)).metadata();
    assert.equal(translucent.hasAlpha, true);
    assert.ok(((await pixelAt(bytesOf(png.placeholder), 0.95, 0.2))[3] ?? 255) < 64, "transparent on the right");
    const jpeg = await makeThumbnail(source, thumbOptions({ format: "jpeg" }));
    const opaque = bytesOf(jpeg.placeholder);
    assert.equal((await sharp(opaque).metadata()).hasAlpha, false);
    assert.ok(
      colourDistance(await pixelAt(opaque, 0.95, 0.2), [255, 255, 255]) <= 24,
      "white where the source is transparent",
    );
  });

  it("stays within 1 KB for the least compressible thumbnails: RGBA noise, at 1024 px and at the placeholder's own 16 px", async () => {
    for (const side of [1024, PLACEHOLDER_SIDE]) {
      for (const format of ["png", "webp"] as const) {
        const thumb = await makeThumbnail(
          await fx.noisePngWithAlpha(side, side),
          thumbOptions({ width: 1024, height: 1024, format }),
        );
        const meta = await sharp(bytesOf(thumb.placeholder)).metadata();
        assert.deepEqual([meta.format, meta.hasAlpha], ["webp", true], `${side} px ${format}`);
      }
    }
  });

  it("is the same for the same input (deterministic, as the thumbnail is)", async () => {
    const source = await fx.jpeg(800, 600, 3);
    const a = await makeThumbnail(source, thumbOptions({ fit: "cover", position: "attention" }));
    const b = await makeThumbnail(source, thumbOptions({ fit: "cover", position: "attention" }));
    assert.equal(a.placeholder, b.placeholder);
  });

  it("previews the crop it belongs to: an attention crop's placeholder shows the subject, a centre crop's does not", async () => {
    const source = await fx.sceneWithSubject(1600, 400, { cx: 0.9, cy: 0.45, r: 0.1 });
    const attention = await makeThumbnail(source, thumbOptions({ fit: "cover", position: "attention" }));
    const center = await makeThumbnail(source, thumbOptions({ fit: "cover", position: "center" }));
    const [hot, cold] = await Promise.all([
      warmest(bytesOf(attention.placeholder)),
      warmest(bytesOf(center.placeholder)),
    ]);
    // The scene's background is grey-blue (red below the mean of green and blue); the subject red and yellow.
    assert.ok(hot > 30, `the attention crop's placeholder has a warm spot: ${hot}`);
    assert.ok(cold < 0, `the centre crop's placeholder is all background: ${cold}`);
  });

  it("the schema and the runtime check agree on what a placeholder is", async () => {
    const thumb = await makeThumbnail(await fx.jpeg(), thumbOptions());
    const wrap = (placeholder: string) =>
      validators.thumbnailResult({
        url: "https://cdn.example.com/x",
        imageName: "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.jpg",
        res: "64x64",
        width: 1,
        height: 1,
        format: "jpeg",
        fit: "inside",
        bytes: 1,
        cached: false,
        placeholder,
      });
    const tooLong = `${PLACEHOLDER_PREFIX}${"A".repeat(PLACEHOLDER_MAX_LENGTH - PLACEHOLDER_PREFIX.length + 4)}`;
    for (const [value, ok] of [
      [thumb.placeholder, true],
      [tooLong, false],
      ["data:image/svg+xml;base64,PHN2Zz4=", false],
      ["https://example.com/x.webp", false],
      [`${PLACEHOLDER_PREFIX}not base64!`, false],
    ] as const) {
      assert.equal(isPlaceholder(value), ok, value.slice(0, 40));
      assert.equal(wrap(value), ok, value.slice(0, 40));
    }
  });
});
