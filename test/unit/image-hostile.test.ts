import { strict as assert } from "node:assert";
import sharp from "sharp";
import { makeThumbnail } from "../../lambdas/resize/image";
import { MAX_JPEG_SCANS, countJpegScans } from "../../lambdas/resize/jpeg-scans";
import { CorruptImage, ImageTooLarge, ServiceError, UnsupportedImageType } from "../../lambdas/shared/errors";
import * as fx from "../fixtures/images";
import { jpegEnd, pngChunks, prng } from "../fixtures/image-bytes";
import { colourName, pixelAt, thumbOptions } from "../fixtures/image-inspect";

type ErrorClass = typeof CorruptImage | typeof ImageTooLarge | typeof UnsupportedImageType;

/** Assert a rejection of exactly `type`, with `status` and a message matching `message`. */
async function refused(
  promise: Promise<unknown>,
  type: ErrorClass,
  status: number,
  message: RegExp,
): Promise<ServiceError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  assert.equal(caught.status, status);
  assert.match(caught.message, message);
  return caught;
}

describe("makeThumbnail: decompression bombs are refused from the header", () => {
  it("a ~300-byte PNG declaring 20000x20000 -> ImageTooLarge (422) giving the limit, from its header alone", async () => {
    const bomb = await fx.pngBombHeader(20000, 20000);
    assert.ok(bomb.length < 1000 && pngChunks(bomb).every((c) => c.crcOk), "small, with correct CRCs");
    await refused(makeThumbnail(bomb, thumbOptions()), ImageTooLarge, 422, /20000x20000 .*limit is 100000000 pixels/);
    // Decoding would need 20000 x 20000 x 3 bytes = 1.2 GB. Cut after IHDR and the next chunk's
    // length and type (not one byte of pixel data), it is refused the same way: nothing is decoded.
    const headerOnly = bomb.subarray(0, 8 + 25 + 8);
    await refused(makeThumbnail(headerOnly, thumbOptions()), ImageTooLarge, 422, /20000x20000/);
  });

  it("a JPEG whose SOF0 claims 60000x60000 -> ImageTooLarge giving the limit", async () => {
    const bomb = await fx.jpegBombHeader(60000, 60000);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    assert.deepEqual([meta.width, meta.height], [60000, 60000], "libvips reads the claim");
    await refused(makeThumbnail(bomb, thumbOptions()), ImageTooLarge, 422, /60000x60000 .*limit is 100000000 pixels/);
  });

  it("the header check comes before decoding: a bomb that is also truncated is ImageTooLarge, not CorruptImage", async () => {
    const bomb = await fx.jpegBombHeader(60000, 60000);
    await refused(
      makeThumbnail(bomb.subarray(0, bomb.length - 100), thumbOptions()),
      ImageTooLarge,
      422,
      /60000x60000/,
    );
  });

  it("an ordinary photo over a smaller configured limit -> ImageTooLarge naming both sizes", async () => {
    await refused(
      makeThumbnail(await fx.jpeg(2000, 1500), thumbOptions({ maxInputPixels: 1_000_000 })),
      ImageTooLarge,
      422,
      /2000x1500 pixels \(3 MP\); the limit is 1000000 pixels \(1 MP\)/,
    );
    const atLimit = await makeThumbnail(await fx.jpeg(1000, 1000), thumbOptions({ maxInputPixels: 1_000_000 }));
    assert.deepEqual([atLimit.width, atLimit.height], [256, 256], "exactly at the limit is allowed");
  });

  it(`a progressive JPEG of 883 scans (${"~"}50 KB, seconds of libjpeg time) -> ImageTooLarge by the scan count`, async () => {
    const bomb = await fx.jpegScanBomb();
    assert.ok(bomb.length < 100_000);
    assert.equal(countJpegScans(bomb), 883);
    await refused(
      makeThumbnail(bomb, thumbOptions()),
      ImageTooLarge,
      422,
      new RegExp(`883 progressive scans; the limit is ${MAX_JPEG_SCANS}`),
    );
  });

  it("real progressive JPEGs stay far below the scan limit", async () => {
    const mozjpeg = await sharp(await fx.jpeg())
      .jpeg({ mozjpeg: true })
      .toBuffer();
    for (const src of [await fx.progressiveJpeg(), mozjpeg, await fx.phoneJpeg12mpRotated(1)]) {
      const scans = countJpegScans(src);
      assert.ok(scans >= 1 && scans <= 20, `${scans} scans`);
    }
  });
});

describe("makeThumbnail: many-frame animations cannot bypass the pixel limit", () => {
  it("200 frames of 1000x1000 (200 MP in all) at a 1 MP limit: made, from frame 0 alone", async () => {
    const gif = await fx.manyFrameGif(200, 1000, 1000);
    assert.equal((await sharp(gif).metadata()).pages, 200);
    // All frames as RGBA would be 800 MB: the 1 MP limit only lets it through if one frame is counted.
    const out = await makeThumbnail(gif, thumbOptions({ maxInputPixels: 1_000_000 }));
    assert.deepEqual([out.width, out.height], [256, 256]);
    assert.equal(colourName(await pixelAt(out.data, 0.5, 0.5)), "red", "frame 0 is red, the others green");
  });

  it("the limit applies per frame: frames one pixel over it are refused", async () => {
    const gif = await fx.manyFrameGif(200, 1000, 1000);
    await refused(makeThumbnail(gif, thumbOptions({ maxInputPixels: 999_999 })), ImageTooLarge, 422, /1000x1000/);
  });
});

describe("makeThumbnail: broken files are CorruptImage (422), never a partial image", () => {
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    ["truncated JPEG", fx.truncatedJpeg, /JPEG/],
    ["truncated PNG", fx.truncatedPng, /PNG/],
    ["truncated GIF", fx.truncatedGif, /GIF/],
    ["truncated WebP", fx.truncatedWebp, /WebP/],
    ["PNG with a bad IDAT CRC", fx.pngBadCrc, /PNG/],
    ["PNG with an impossible bit depth", fx.corruptPngHeader, /PNG/],
    ["JPEG with a corrupt Huffman table", fx.corruptJpegHeader, /JPEG/],
    ["JPEG cut right after its header", async () => (await fx.jpeg()).subarray(0, 700), /JPEG/],
    ["PNG signature and nothing else", async () => (await fx.png()).subarray(0, 8), /PNG/],
    [
      "AVIF cut in half",
      async () => {
        const a = await fx.avif();
        return a.subarray(0, a.length >> 1);
      },
      /AVIF/,
    ],
  ];
  for (const [name, build, format] of cases) {
    it(name, async () => {
      const err = await refused(
        makeThumbnail(await build(), thumbOptions()),
        CorruptImage,
        422,
        /could not be decoded: the file is corrupt or truncated/,
      );
      assert.match(err.message, format);
      assert.ok(!/vips|libpng|libjpeg/i.test(err.message), "no library internals in the client message");
    });
  }

  it("the complete files the broken ones were cut from do decode (the fixtures break only what they say)", async () => {
    for (const src of [
      await fx.jpeg(800, 600, 11),
      await fx.png(640, 480),
      await fx.gif(320, 240),
      await fx.webp(640, 480),
    ]) {
      await makeThumbnail(src, thumbOptions());
    }
  });

  it("fuzzed sources (truncations, flipped bytes) give a thumbnail or a typed 4xx error, nothing else", async () => {
    const sources = [
      await fx.jpeg(160, 120),
      await fx.progressiveJpeg(320, 240),
      await fx.png(160, 120),
      await fx.gif(160, 120),
      await fx.webp(160, 120),
      await fx.avif(160, 120),
      await fx.animatedGif(3, 80, 60),
      await fx.pngWithAlpha(80, 60),
    ];
    const next = prng(2024);
    const seen: Record<string, number> = {};
    for (const src of sources) {
      for (let v = 0; v < 40; v++) {
        const b = Buffer.from(src);
        let input: Buffer = b;
        if (v < 10) input = b.subarray(0, Math.max(1, Math.floor((b.length * (v + 1)) / 11)));
        else for (let i = 0; i < (v < 25 ? 1 : 16); i++) b[8 + (next() % (b.length - 8))] = next() & 255;
        try {
          const out = await makeThumbnail(input, thumbOptions({ width: 64, height: 64, format: "png" }));
          assert.ok(out.width <= 64 && out.height <= 64);
          seen.ok = (seen.ok ?? 0) + 1;
        } catch (err) {
          assert.ok(
            err instanceof ServiceError && err.status >= 400 && err.status < 500,
            `variant ${v}: ${String(err)}`,
          );
          seen[err.name] = (seen[err.name] ?? 0) + 1;
        }
      }
    }
    assert.ok((seen.CorruptImage ?? 0) > 100, JSON.stringify(seen));
  });
});

describe("makeThumbnail: not an allowed image -> UnsupportedImageType (415), before any decoder", () => {
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    ["SVG with a script", fx.svgWithScript, /SVG/],
    ["SVG with external references", fx.svgWithExternalRef, /SVG/],
    ["HTML", fx.html, /HTML/],
    ["PDF", fx.pdf, /PDF/],
    ["HEIC", fx.heicHeader, /HEIC/],
    ["text", fx.textFile, /plain text/],
  ];
  for (const [name, build, what] of cases) {
    it(name, async () => {
      await refused(makeThumbnail(await build(), thumbOptions()), UnsupportedImageType, 415, what);
    });
  }

  it("the sniff comes first: even with sharp's SVG loader enabled, an SVG never reaches it", async () => {
    const svg = await fx.svgWithScript();
    sharp.unblock({ operation: ["VipsForeignLoadSvg"] });
    try {
      assert.equal((await sharp(svg).metadata()).format, "svg", "sharp itself would now decode the SVG");
      await refused(makeThumbnail(svg, thumbOptions()), UnsupportedImageType, 415, /SVG/);
    } finally {
      sharp.block({ operation: ["VipsForeignLoadSvg"] });
    }
  });

  it("defence in depth: once image.ts is loaded, sharp refuses SVG, PDF and TIFF anywhere in the process", async () => {
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
      .tiff()
      .toBuffer();
    for (const input of [await fx.svgWithScript(), await fx.pdf(), tiff]) {
      await assert.rejects(sharp(input).metadata(), /unsupported image format/);
    }
  });

  it("an ftyp box branded AVIF around garbage is CorruptImage: the brand only decides which decoder may try", async () => {
    const fake = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from("ftypavif\0\0\0\0mif1avif", "latin1"),
      Buffer.alloc(200),
    ]);
    await refused(makeThumbnail(fake, thumbOptions()), CorruptImage, 422, /AVIF/);
  });
});

describe("makeThumbnail: a JPEG with data after its end marker (polyglot)", () => {
  it("is a valid thumbnail, and the appended bytes are gone", async () => {
    const polyglot = await fx.jpegWithTrailingPayload();
    assert.ok(polyglot.subarray(jpegEnd(polyglot)).equals(fx.TRAILING_PAYLOAD), "the payload follows EOI");
    for (const format of ["jpeg", "png", "webp", "avif"] as const) {
      const out = await makeThumbnail(polyglot, thumbOptions({ format }));
      assert.deepEqual([out.width, out.height], [256, 192]);
      for (const needle of ["PK\x03\x04", "evil.html", "<script>", "polyglot"]) {
        assert.ok(!out.data.includes(needle), `${format} output contains ${JSON.stringify(needle)}`);
      }
      if (format === "jpeg") assert.equal(jpegEnd(out.data), out.data.length, "nothing after the output's EOI");
    }
  });
});

describe("makeThumbnail: the processing timeout", () => {
  it("a valid 100 MP image that takes seconds -> ImageTooLarge (422, not retried) when the timeout is 1 s", async function () {
    this.timeout(30_000);
    const slow = await fx.slowDecodeImage();
    const meta = await sharp(slow).metadata();
    assert.ok(meta.width * meta.height <= 100_000_000, "within the pixel limit: only the timeout can stop it");
    // The refusal names the timeout: it fired, rather than the decode finishing (no clock read here).
    await refused(
      makeThumbnail(slow, thumbOptions({ maxInputPixels: 100_000_000, timeoutSeconds: 1 })),
      ImageTooLarge,
      422,
      /took longer than 1 s to process/,
    );
  });
});
