import { strict as assert } from "node:assert";
import sharp from "sharp";
import { makeThumbnail } from "../../lambdas/resize/image";
import { sniffImageType } from "../../lambdas/resize/sniff";
import type { OutputFormat } from "../../lambdas/shared/types";
import * as fx from "../fixtures/images";
import { colourName, pixelAt, thumbOptions } from "../fixtures/image-inspect";

const OUTPUTS: readonly OutputFormat[] = ["jpeg", "png", "webp", "avif"];
/** What sharp's metadata() calls each output format (AVIF is a HEIF container). */
const READ_BACK: Record<OutputFormat, string> = { jpeg: "jpeg", png: "png", webp: "webp", avif: "heif" };
const CONTENT_TYPE: Record<OutputFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
};

describe("makeThumbnail: every source format to every output format", () => {
  const sources: [string, () => Promise<Buffer>, [number, number]][] = [
    ["JPEG 640x480", () => fx.jpeg(), [256, 192]],
    ["progressive JPEG 1600x1200", () => fx.progressiveJpeg(), [256, 192]],
    ["PNG 640x480", () => fx.png(), [256, 192]],
    ["GIF 320x240", () => fx.gif(), [256, 192]],
    ["WebP 640x480", () => fx.webp(), [256, 192]],
    ["AVIF 640x480", () => fx.avif(), [256, 192]],
  ];
  for (const [name, build, [w, h]] of sources) {
    for (const format of OUTPUTS) {
      it(`${name} -> ${format}: ${w}x${h}, 8-bit sRGB, the right type`, async () => {
        const out = await makeThumbnail(await build(), thumbOptions({ format }));
        assert.deepEqual([out.width, out.height, out.format, out.contentType], [w, h, format, CONTENT_TYPE[format]]);
        const meta = await sharp(out.data).metadata();
        assert.equal(meta.format, READ_BACK[format]);
        if (format === "avif") assert.equal(meta.compression, "av1");
        assert.deepEqual([meta.width, meta.height], [w, h]);
        assert.deepEqual([meta.space, meta.depth, meta.channels], ["srgb", "uchar", 3]);
        // The bytes are what the content type says (the same sniffer the input side uses).
        assert.equal(sniffImageType(out.data), format);
      });
    }
  }
});

describe("makeThumbnail: geometry", () => {
  it("never upscales: a 100x50 source asked for 256x256 stays 100x50", async () => {
    for (const format of OUTPUTS) {
      const out = await makeThumbnail(await fx.jpeg(100, 50), thumbOptions({ format }));
      assert.deepEqual([out.width, out.height], [100, 50], format);
      const meta = await sharp(out.data).metadata();
      assert.deepEqual([meta.width, meta.height], [100, 50], format);
    }
  });

  const fits: [string, [number, number], [number, number], [number, number]][] = [
    ["landscape into a square", [640, 480], [128, 128], [128, 96]],
    ["portrait into a square", [480, 640], [256, 256], [192, 256]],
    ["landscape into a tall box (width limits)", [640, 480], [64, 512], [64, 48]],
    ["landscape into a wide box (height limits)", [640, 480], [1024, 60], [80, 60]],
    ["an exact fit", [512, 512], [512, 512], [512, 512]],
    ["one side already small enough", [200, 800], [256, 256], [64, 256]],
  ];
  for (const [name, [sw, sh], [bw, bh], expected] of fits) {
    it(`fits inside, keeping the aspect ratio: ${name} (${sw}x${sh} in ${bw}x${bh} -> ${expected.join("x")})`, async () => {
      const out = await makeThumbnail(await fx.jpeg(sw, sh), thumbOptions({ width: bw, height: bh }));
      assert.deepEqual([out.width, out.height], expected);
      assert.ok(out.width <= bw && out.height <= bh);
    });
  }
});

describe("makeThumbnail: animations give their first frame", () => {
  for (const [name, build] of [
    ["animated GIF", () => fx.animatedGif(4, 300, 200)],
    ["animated WebP", () => fx.animatedWebp(4, 300, 200)],
  ] as const) {
    it(`${name}: one frame's size and frame 0's colour, in every output format`, async () => {
      const src = await build();
      assert.equal((await sharp(src).metadata()).pages, 4, "the fixture is animated");
      for (const format of OUTPUTS) {
        const out = await makeThumbnail(src, thumbOptions({ format }));
        assert.deepEqual([out.width, out.height], [256, 171], format); // 300x200 fitted, not 300x800
        const meta = await sharp(out.data).metadata();
        assert.equal(meta.pages ?? 1, 1, `${format} output is a still image`);
        assert.equal(colourName(await pixelAt(out.data, 0.5, 0.5)), "red", `${format}: frame 0 is red`);
      }
    });
  }
});

describe("makeThumbnail: deterministic output", () => {
  const sources: [string, () => Promise<Buffer>][] = [
    ["12 MP phone JPEG", () => fx.phoneJpeg12mpRotated(6)],
    ["PNG with alpha", () => fx.pngWithAlpha()],
    ["animated GIF", () => fx.animatedGif()],
  ];
  for (const [name, build] of sources) {
    it(`${name}: the same input twice gives byte-identical output in every format`, async () => {
      const src = await build();
      for (const format of OUTPUTS) {
        const a = await makeThumbnail(src, thumbOptions({ format }));
        const b = await makeThumbnail(Buffer.from(src), thumbOptions({ format }));
        assert.ok(a.data.equals(b.data), `${format} differs between runs`);
      }
    });
  }
});

describe("makeThumbnail: options are checked (a bad option is our bug, not the user's)", () => {
  for (const [name, bad] of [
    ["zero width", { width: 0 }],
    ["fractional height", { height: 10.5 }],
    ["no pixel limit", { maxInputPixels: 0 }],
    ["no timeout (sharp's 0 means none)", { timeoutSeconds: 0 }],
    ["fractional timeout (sharp takes whole seconds)", { timeoutSeconds: 1.5 }],
  ] as const) {
    it(`RangeError for ${name}`, async () => {
      await assert.rejects(makeThumbnail(await fx.jpeg(), thumbOptions(bad)), RangeError);
    });
  }
});
