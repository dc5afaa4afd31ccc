import { strict as assert } from "node:assert";
import sharp from "sharp";
import { SNIFF_BYTES, describeUnsupported, sniffImageType } from "../../lambdas/resize/sniff";
import { UnsupportedImageType } from "../../lambdas/shared/errors";
import * as fx from "../fixtures/images";

const ALLOWED_LIST = /Allowed types: JPEG, PNG, WebP, GIF, AVIF/;

function refusal(head: Uint8Array): UnsupportedImageType {
  try {
    sniffImageType(head);
  } catch (err) {
    assert.ok(err instanceof UnsupportedImageType, `expected UnsupportedImageType, got ${String(err)}`);
    return err;
  }
  assert.fail("sniffImageType accepted it");
}

const ftyp = (major: string, ...compatible: string[]): Buffer => {
  const brands = Buffer.from(major + "\0\0\0\0" + compatible.join(""), "latin1");
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + brands.length);
  return Buffer.concat([size, Buffer.from("ftyp"), brands, Buffer.alloc(32)]);
};

describe("sniffImageType: allowed formats, by magic bytes", () => {
  const cases: [string, () => Promise<Buffer>, string][] = [
    ["baseline JPEG", () => fx.jpeg(), "jpeg"],
    ["progressive JPEG", () => fx.progressiveJpeg(), "jpeg"],
    ["CMYK JPEG", () => fx.cmykJpeg(), "jpeg"],
    ["JPEG with trailing payload", () => fx.jpegWithTrailingPayload(), "jpeg"],
    ["PNG", () => fx.png(), "png"],
    ["16-bit PNG", () => fx.png16bit(), "png"],
    ["GIF", () => fx.gif(), "gif"],
    ["animated GIF", () => fx.animatedGif(), "gif"],
    ["lossy WebP", () => fx.webp(), "webp"],
    ["animated WebP (VP8X)", () => fx.animatedWebp(), "webp"],
    [
      "lossless WebP (VP8L)",
      () =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
          .webp({ lossless: true })
          .toBuffer(),
      "webp",
    ],
    ["AVIF", () => fx.avif(), "avif"],
  ];
  for (const [name, build, expected] of cases) {
    it(`${name} -> ${expected}, from the first ${SNIFF_BYTES} bytes alone`, async () => {
      const bytes = await build();
      assert.equal(sniffImageType(bytes), expected);
      assert.equal(sniffImageType(bytes.subarray(0, SNIFF_BYTES)), expected);
    });
  }

  it("AVIF by its compatible brands (major mif1) when no HEVC brand is claimed", () => {
    assert.equal(sniffImageType(ftyp("mif1", "mif1", "avif", "miaf")), "avif");
    assert.equal(sniffImageType(ftyp("avis", "avis", "msf1")), "avif");
  });
});

describe("sniffImageType: everything else is UnsupportedImageType (415), named for what it looks like", () => {
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    ["SVG with a script", fx.svgWithScript, /looks like an SVG image/],
    ["SVG with external references", fx.svgWithExternalRef, /looks like an SVG image/],
    ["HTML page", fx.html, /looks like an HTML document/],
    ["PDF document", fx.pdf, /looks like a PDF document/],
    ["HEIC photo", fx.heicHeader, /looks like a HEIC\/HEIF image/],
    ["text file", fx.textFile, /looks like plain text/],
    [
      "TIFF (which libvips could decode)",
      () =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
          .tiff()
          .toBuffer(),
      /looks like a TIFF image/,
    ],
    ["empty file", () => Promise.resolve(Buffer.alloc(0)), /the file is empty/],
    [
      "random bytes",
      () => Promise.resolve(Buffer.from([0x13, 0x37, 0x00, 0x01, 0x02, 0x9a, 0xff, 0x00])),
      /is of an unknown type/,
    ],
  ];
  for (const [name, build, what] of cases) {
    it(`${name}`, async () => {
      const err = refusal(await build());
      assert.equal(err.status, 415);
      assert.match(err.message, what);
      assert.match(err.message, ALLOWED_LIST);
    });
  }

  it("an SVG is recognised behind a BOM, white space, an XML prolog, comments or upper case", () => {
    for (const text of [
      '\uFEFF  <?xml version="1.0"?>\n<!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>',
      "<SVG WIDTH='1'></SVG>",
    ]) {
      assert.match(refusal(Buffer.from(text)).message, /SVG/, text);
    }
  });

  it("a HEIC that also lists avif among its brands is still HEIC", () => {
    assert.match(refusal(ftyp("heic", "mif1", "heic", "avif")).message, /HEIC/);
    assert.match(refusal(ftyp("mif1", "mif1", "heic")).message, /HEIC/);
  });

  it("near misses of the allowed signatures are refused", () => {
    for (const head of [
      Buffer.from([0xff, 0xd8]), // SOI without a following marker
      Buffer.from("\x89PNG\r\n\x1a", "latin1"), // PNG signature one byte short
      Buffer.from("GIF88a", "latin1"),
      Buffer.from("RIFF\0\0\0\0WEBPXXXX", "latin1"), // unknown WebP chunk
      Buffer.from("RIFF\0\0\0\0AVI LIST", "latin1"),
      ftyp("isom", "isom", "mp41"),
    ]) {
      assert.throws(() => sniffImageType(head), UnsupportedImageType, head.toString("latin1"));
    }
  });

  it("describes a text file that happens to start with 'BM' as text, not BMP", () => {
    assert.equal(describeUnsupported(Buffer.from("BMW service notes\n")), "plain text");
    assert.equal(describeUnsupported(Buffer.from([0x42, 0x4d, 0x36, 0x00, 0x0c, 0x00, 0x00, 0x00])), "a BMP image");
  });

  it("ignores what the name or Content-Type claimed: only bytes are looked at (an extension that lies)", async () => {
    // The API takes bytes only; a PNG stored as photo.jpg is a PNG, an SVG stored as photo.png is an SVG.
    assert.equal(sniffImageType(await fx.png()), "png");
    assert.match(refusal(await fx.svgWithScript()).message, /SVG/);
  });
});
