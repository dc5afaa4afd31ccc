import { strict as assert } from "node:assert";
import sharp from "sharp";
import { makeThumbnail } from "../../lambdas/resize/image";
import type { OutputFormat } from "../../lambdas/shared/types";
import * as fx from "../fixtures/images";
import { colourDistance, colourName, pixelAt, thumbOptions } from "../fixtures/image-inspect";

const OUTPUTS: readonly OutputFormat[] = ["jpeg", "png", "webp", "avif"];
/** Lossless PNG out: tolerance for the colour conversions only. Lossy formats get a little more. */
const TOLERANCE: Record<OutputFormat, number> = { png: 3, jpeg: 6, webp: 8, avif: 8 };

async function assertSrgb8(image: Buffer, channels: number, label: string): Promise<void> {
  const meta = await sharp(image).metadata();
  assert.deepEqual([meta.space, meta.depth, meta.channels, meta.hasProfile], ["srgb", "uchar", channels, false], label);
}

describe("makeThumbnail: 8-bit sRGB output from any colour encoding", () => {
  it("CMYK JPEG: RGB output with red still red and blue still blue", async () => {
    // Saturated sRGB blue is outside the print gamut, so it comes back darker: compare dominance.
    const dominant = ([r = 0, g = 0, b = 0]: number[]): string =>
      r > g + 60 && r > b + 60 ? "red" : b > r + 60 && b > g + 40 ? "blue" : "other";
    const src = await fx.cmykJpeg();
    const meta = await sharp(src).metadata();
    assert.deepEqual([meta.space, meta.channels], ["cmyk", 4], "the fixture is CMYK");
    for (const format of OUTPUTS) {
      const out = await makeThumbnail(src, thumbOptions({ format }));
      await assertSrgb8(out.data, 3, format);
      assert.equal(dominant(await pixelAt(out.data, 0.2, 0.5)), "red", `${format}: left half`);
      assert.equal(dominant(await pixelAt(out.data, 0.8, 0.5)), "blue", `${format}: right half`);
    }
  });

  it("16-bit PNG: 8-bit output of the same colour", async () => {
    const src = await fx.png16bit();
    assert.equal((await sharp(src).metadata()).depth, "ushort", "the fixture is 16-bit");
    for (const format of OUTPUTS) {
      const out = await makeThumbnail(src, thumbOptions({ format }));
      await assertSrgb8(out.data, 3, format);
      const px = await pixelAt(out.data, 0.5, 0.5);
      assert.ok(colourDistance(px, fx.ICC_TEST_COLOUR) <= TOLERANCE[format], `${format}: ${px.join(",")}`);
    }
  });

  it("8-bit PNG with a Display P3 profile: converted to sRGB, not reinterpreted", async () => {
    const src = await fx.pngWithIccProfile();
    // Read without the profile the stored numbers are visibly different: ignoring the profile would show.
    const stored = await pixelAt(await sharp(src, { ignoreIcc: true }).png().toBuffer(), 0.5, 0.5);
    assert.ok(colourDistance(stored, fx.ICC_TEST_COLOUR) >= 10, `stored P3 values ${stored.join(",")}`);
    for (const format of OUTPUTS) {
      const out = await makeThumbnail(src, thumbOptions({ format }));
      await assertSrgb8(out.data, 3, format);
      const px = await pixelAt(out.data, 0.5, 0.5);
      assert.ok(colourDistance(px, fx.ICC_TEST_COLOUR) <= TOLERANCE[format], `${format}: ${px.join(",")}`);
    }
  });

  it("16-bit PNG with a Display P3 profile: correct sRGB (sharp alone would emit the P3 numbers)", async () => {
    const src = await fx.png16bitWithP3Profile();
    // The trap this guards against: sharp's default pipeline for 16-bit + profile.
    const naive = await pixelAt(await sharp(src).png().toBuffer(), 0.5, 0.5);
    assert.ok(colourDistance(naive, fx.ICC_TEST_COLOUR) >= 10, `sharp's default gives ${naive.join(",")}`);
    for (const format of OUTPUTS) {
      const out = await makeThumbnail(src, thumbOptions({ format }));
      await assertSrgb8(out.data, 3, format);
      const px = await pixelAt(out.data, 0.5, 0.5);
      assert.ok(colourDistance(px, fx.ICC_TEST_COLOUR) <= TOLERANCE[format], `${format}: ${px.join(",")}`);
    }
  });

  for (const format of ["png", "webp", "avif"] as const) {
    it(`PNG with alpha -> ${format}: alpha kept (opaque red, transparent right half, half-transparent band)`, async () => {
      const out = await makeThumbnail(await fx.pngWithAlpha(), thumbOptions({ format }));
      await assertSrgb8(out.data, 4, format);
      const opaque = await pixelAt(out.data, 0.2, 0.2);
      assert.equal(colourName(opaque), "red");
      assert.ok((opaque[3] ?? 0) >= 250, `opaque alpha ${opaque[3]}`);
      assert.ok(((await pixelAt(out.data, 0.8, 0.2))[3] ?? 255) <= 5, "transparent stays transparent");
      const band = (await pixelAt(out.data, 0.2, 0.5))[3] ?? 0;
      assert.ok(band > 100 && band < 156, `half-transparent band alpha ${band}`);
    });
  }

  it("PNG with alpha -> jpeg: flattened onto white, 3 channels", async () => {
    const out = await makeThumbnail(await fx.pngWithAlpha(), thumbOptions({ format: "jpeg" }));
    await assertSrgb8(out.data, 3, "jpeg");
    assert.equal(colourName(await pixelAt(out.data, 0.2, 0.2)), "red");
    assert.equal(colourName(await pixelAt(out.data, 0.8, 0.2)), "white", "transparent became white, not black");
    // Half-transparent green over white: lighter than GREEN, far from black.
    const band = await pixelAt(out.data, 0.2, 0.5);
    assert.ok((band[0] ?? 0) > 100 && (band[1] ?? 0) > 200, `band ${band.join(",")}`);
  });

  it("greyscale source: 3-channel sRGB output", async () => {
    const grey = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .toColourspace("b-w")
      .png()
      .toBuffer();
    assert.equal((await sharp(grey).metadata()).channels, 1);
    const out = await makeThumbnail(grey, thumbOptions({ format: "png" }));
    await assertSrgb8(out.data, 3, "png");
    assert.ok(colourDistance(await pixelAt(out.data, 0.5, 0.5), [90, 90, 90]) <= 2);
  });
});
