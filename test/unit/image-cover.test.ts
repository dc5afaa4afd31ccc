/** makeThumbnail with fit=cover: exactly WxH, never enlarged, cropped where the position says. */
import { strict as assert } from "node:assert";
import sharp from "sharp";
import { coverSize, uprightFrameSize } from "../../lambdas/resize/cover";
import { makeThumbnail } from "../../lambdas/resize/image";
import type { CropPosition, OutputFormat } from "../../lambdas/shared/types";
import * as fx from "../fixtures/images";
import { colourName, pixelAt, subjectPixels, thumbOptions } from "../fixtures/image-inspect";

const OUTPUTS: readonly OutputFormat[] = ["jpeg", "png", "webp", "avif"];
const POSITIONS: readonly CropPosition[] = ["attention", "entropy", "center"];

/** The real size of the encoded output, and that makeThumbnail reported the same. */
async function sizeOf(out: { data: Buffer; width: number; height: number }): Promise<[number, number]> {
  const meta = await sharp(out.data).metadata();
  assert.deepEqual([meta.width, meta.height], [out.width, out.height], "reported size = encoded size");
  return [out.width, out.height];
}

const cover = (width: number, height: number, position?: CropPosition, format: OutputFormat = "jpeg") =>
  thumbOptions({ width, height, format, fit: "cover", ...(position ? { position } : {}) });

describe("makeThumbnail, fit=cover: exact sizes", () => {
  const sources: [string, () => Promise<Buffer>][] = [
    ["landscape JPEG 1200x800", () => fx.jpeg(1200, 800)],
    ["portrait JPEG 800x1200", () => fx.jpeg(800, 1200)],
    ["square PNG 640x640", () => fx.png(640, 640)],
    ["panorama JPEG 4000x1000", () => fx.jpeg(4000, 1000)],
  ];
  const boxes: [number, number][] = [
    [256, 256],
    [256, 128],
    [128, 256],
    [64, 64],
  ];
  for (const [name, build] of sources) {
    for (const position of POSITIONS) {
      it(`${name}, ${position}: exactly ${boxes.map((b) => b.join("x")).join(", ")}`, async () => {
        for (const [w, h] of boxes) {
          assert.deepEqual(
            await sizeOf(await makeThumbnail(await build(), cover(w, h, position))),
            [w, h],
            `${w}x${h}`,
          );
        }
      });
    }
  }

  it("every output format is exactly the box", async () => {
    const source = await fx.jpeg(1200, 800);
    for (const format of OUTPUTS) {
      const out = await makeThumbnail(source, cover(128, 256, "attention", format));
      assert.deepEqual(await sizeOf(out), [128, 256], format);
    }
  });

  for (let orientation = 1; orientation <= 8; orientation++) {
    const portrait = orientation >= 5;
    const [w, h] = portrait ? [192, 256] : [256, 192];
    it(`an EXIF orientation ${orientation} phone photo, cropped to its upright shape ${w}x${h}: exact and upright`, async () => {
      const out = await makeThumbnail(await fx.phoneJpegRotated(orientation, 800, 600), cover(w, h));
      assert.deepEqual(await sizeOf(out), [w, h]);
      assert.equal(colourName(await pixelAt(out.data, 0.04, 0.04)), "red", "top-left marker");
      assert.equal(colourName(await pixelAt(out.data, 0.96, 0.04)), "blue", "top-right marker");
      assert.equal(colourName(await pixelAt(out.data, 0.5, 0.96)), "other", "nothing at the bottom");
    });
  }

  it("an EXIF-rotated source crops to the box of its upright size: 256x256 from a sideways 800x600 is exact too", async () => {
    for (const orientation of [6, 8]) {
      const out = await makeThumbnail(await fx.phoneJpegRotated(orientation, 800, 600), cover(256, 256));
      assert.deepEqual(await sizeOf(out), [256, 256], `orientation ${orientation}`);
    }
  });
});

describe("makeThumbnail, fit=cover: never enlarged", () => {
  const cases: [string, () => Promise<Buffer>, [number, number], [number, number]][] = [
    ["100x50 in 256x256: the largest square it holds", () => fx.jpeg(100, 50), [256, 256], [50, 50]],
    ["300x200 in 256x256 (covers one side only)", () => fx.jpeg(300, 200), [256, 256], [200, 200]],
    ["1000x200 in 256x256", () => fx.jpeg(1000, 200), [256, 256], [200, 200]],
    ["300x200 in 128x256 (a tall box)", () => fx.jpeg(300, 200), [128, 256], [100, 200]],
    ["200x300 in 512x256 (a wide box)", () => fx.jpeg(200, 300), [512, 256], [200, 100]],
    ["exactly the box", () => fx.jpeg(256, 256), [256, 256], [256, 256]],
  ];
  for (const [name, build, [bw, bh], expected] of cases) {
    it(`${name} -> ${expected.join("x")}, the box's aspect ratio, no pixel enlarged`, async () => {
      for (const position of POSITIONS) {
        const out = await makeThumbnail(await build(), cover(bw, bh, position));
        assert.deepEqual(await sizeOf(out), expected, position);
      }
    });
  }

  it("a sideways phone photo smaller than the box: the crop is taken from its upright size", async () => {
    // Stored 400x300, displayed 300x400 (orientation 6): the widest 2:1 crop of 300x400 is 300x150.
    // Had the stored size been used, it would be 400x200: wider than the upright image, so enlarged.
    const sideways = await makeThumbnail(await fx.phoneJpegRotated(6, 400, 300), cover(512, 256));
    assert.deepEqual(await sizeOf(sideways), [300, 150]);
    const upright = await makeThumbnail(await fx.phoneJpegRotated(1, 400, 300), cover(512, 256));
    assert.deepEqual(await sizeOf(upright), [400, 200]);
  });

  it("the geometry: the box when covered, else the box scaled down to fit the upright source", () => {
    assert.deepEqual(coverSize({ width: 4000, height: 3000 }, { width: 256, height: 256 }), {
      width: 256,
      height: 256,
    });
    assert.deepEqual(coverSize({ width: 300, height: 200 }, { width: 256, height: 256 }), { width: 200, height: 200 });
    assert.deepEqual(coverSize({ width: 3, height: 1000 }, { width: 1024, height: 64 }), { width: 3, height: 1 });
    assert.deepEqual(coverSize({ width: 1, height: 1 }, { width: 1024, height: 1 }), { width: 1, height: 1 });
    assert.deepEqual(uprightFrameSize({ width: 400, height: 300, orientation: 6 }), { width: 300, height: 400 });
    assert.deepEqual(uprightFrameSize({ width: 400, height: 300, orientation: 3 }), { width: 400, height: 300 });
    assert.deepEqual(uprightFrameSize({ width: 300, height: 800, pageHeight: 200 }), { width: 300, height: 200 });
  });
});

describe("makeThumbnail, fit=cover: what the crop keeps", () => {
  // A small bright subject well away from the centre: a centre crop cannot contain any of it.
  const scenes: [string, number, number, fx.SubjectPlace][] = [
    ["a panorama with the subject at the right edge", 1600, 400, { cx: 0.9, cy: 0.45, r: 0.1 }],
    ["a panorama with the subject at the left edge", 1600, 400, { cx: 0.08, cy: 0.5, r: 0.1 }],
    ["a tall image with the subject at the top", 400, 1600, { cx: 0.5, cy: 0.05, r: 0.1 }],
  ];
  for (const [name, w, h, at] of scenes) {
    it(`${name}: attention keeps all of the subject, center none of it`, async () => {
      const source = await fx.sceneWithSubject(w, h, at);
      // The subject's area in a 256x256 crop: the source is scaled by 256 / its shorter side.
      const scale = 256 / Math.min(w, h);
      const area = Math.PI * (at.r * Math.min(w, h) * scale) ** 2;
      const attention = await makeThumbnail(source, cover(256, 256, "attention"));
      const center = await makeThumbnail(source, cover(256, 256, "center"));
      const kept = await subjectPixels(attention.data);
      assert.ok(kept > 0.85 * area, `attention kept ${kept} of ~${Math.round(area)} subject pixels`);
      assert.equal(await subjectPixels(center.data), 0, "the centre crop misses the off-centre subject");
      // And the default position is attention.
      assert.deepEqual((await makeThumbnail(source, cover(256, 256))).data, attention.data);
    });
  }

  it("the whole scene fits inside: fit=inside keeps the subject and the whole width", async () => {
    const source = await fx.sceneWithSubject(1600, 400, { cx: 0.9, cy: 0.45, r: 0.1 });
    const inside = await makeThumbnail(source, thumbOptions({ width: 256, height: 256 }));
    assert.deepEqual(await sizeOf(inside), [256, 64]);
    assert.ok((await subjectPixels(inside.data)) > 0);
  });

  it("a position is refused without fit=cover (a library caller's mistake, not a request's)", async () => {
    const source = await fx.jpeg(64, 64);
    await assert.rejects(makeThumbnail(source, thumbOptions({ position: "entropy" })), RangeError);
    await assert.rejects(makeThumbnail(source, thumbOptions({ fit: "inside", position: "center" })), RangeError);
  });
});
