/**
 * Exact-size crops and placeholders (issue 13) through the whole running service: presigned POST,
 * GET /thumbnail with fit/position, the public thumbnail downloaded anonymously, the stored object's
 * metadata, and the execution behind each answer.
 */
import { strict as assert } from "node:assert";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { PLACEHOLDER_MAX_LENGTH, PLACEHOLDER_PREFIX } from "../../../lambdas/shared/placeholder";
import type { ThumbnailResult } from "../../../lambdas/shared/types";
import * as fx from "../../fixtures/images";
import { riffChunks } from "../../fixtures/image-bytes";
import { subjectPixels } from "../../fixtures/image-inspect";
import { uploadImage } from "../../helpers/http";
import type { TestService } from "../../helpers/service";
import {
  askThumbnail,
  download,
  executionOf,
  expectError,
  expectThumbnail,
  idOf,
  withService,
  type Answer,
  type Bucket,
} from "./support";

/** The placeholder's WebP, checked: a data: URI within 1 KB that decodes, with no metadata chunk. */
async function placeholderOf(result: ThumbnailResult): Promise<sharp.Metadata> {
  assert.ok(result.placeholder.startsWith(PLACEHOLDER_PREFIX));
  assert.ok(result.placeholder.length <= PLACEHOLDER_MAX_LENGTH, `${result.placeholder.length} characters`);
  const bytes = Buffer.from(result.placeholder.slice(PLACEHOLDER_PREFIX.length), "base64");
  assert.deepEqual(
    riffChunks(bytes).filter((c) => !["VP8 ", "VP8L", "VP8X", "ALPH"].includes(c)),
    [],
    "no metadata chunks",
  );
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.format, "webp");
  return meta;
}

describe("Crops and placeholders (local service)", function () {
  this.timeout(60_000);
  let svc: TestService;
  let buckets: Bucket;

  withService((running, client) => {
    svc = running;
    buckets = client;
  });

  const ask = (imageName: string, extra: string, res = "256x256"): Promise<Answer> =>
    askThumbnail(svc, `imageName=${imageName}&res=${res}${extra}`);
  const statesOf = (r: Answer): string[] => (executionOf(svc, r)?.states ?? []).map((s) => s.state);

  it("a 4000x1000 photo with its subject at the right edge, fit=cover: 256x256 showing the subject, a placeholder, then a hit with the same one", async () => {
    const at = { cx: 0.94, cy: 0.45, r: 0.1 };
    const imageName = await uploadImage(svc.appUrl, await fx.sceneWithSubject(4000, 1000, at), "image/jpeg");

    const first = await ask(imageName, "&fit=cover");
    const made = expectThumbnail(first);
    assert.deepEqual(
      [made.width, made.height, made.fit, made.position, made.cached, made.res, made.format],
      [256, 256, "cover", "attention", false, "256x256", "jpeg"],
    );
    assert.ok(made.url.endsWith("/256x256-cover-attention.jpg"), made.url);
    const bytes = await download(made.url);
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format, meta.exif], [256, 256, "jpeg", undefined]);
    const area = Math.PI * (at.r * 1000 * (256 / 1000)) ** 2;
    const shown = await subjectPixels(bytes);
    assert.ok(shown > 0.85 * area, `the subject is in the thumbnail: ${shown} of ~${Math.round(area)} pixels`);

    const preview = await placeholderOf(made);
    assert.deepEqual([preview.width, preview.height], [16, 16], "the thumbnail's (square) shape");
    const key = made.url.slice(made.url.indexOf("thumbnails/"));
    const head = await buckets.s3.send(new HeadObjectCommand({ Bucket: svc.config.thumbnailBucket, Key: key }));
    assert.equal(head.Metadata?.["placeholder"], made.placeholder, "stored with the published thumbnail");

    const again = await ask(imageName, "&fit=cover");
    const hit = expectThumbnail(again);
    assert.deepEqual(hit, { ...made, cached: true }, "the same answer, placeholder included");
    assert.ok(!statesOf(again).includes("Resize"), `a hit decodes nothing: ${statesOf(again).join(" -> ")}`);

    // The same image fitted inside: the whole panorama, its own object and its own 4:1 placeholder.
    const inside = expectThumbnail(await ask(imageName, ""));
    assert.deepEqual([inside.width, inside.height, inside.fit, inside.position], [256, 64, "inside", undefined]);
    assert.notEqual(inside.url, made.url);
    const insidePreview = await placeholderOf(inside);
    assert.deepEqual([insidePreview.width, insidePreview.height], [16, 4]);
    // And cropped from the centre: its own object, without the subject.
    const center = expectThumbnail(await ask(imageName, "&fit=cover&position=center"));
    assert.ok(center.url.endsWith("/256x256-cover-center.jpg"), center.url);
    assert.equal(await subjectPixels(await download(center.url)), 0);
    assert.equal((await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`)).length, 3);
  });

  it("fit=stretch is a 400 listing inside and cover; a bad position or one without cover is a 400 too; no execution starts", async () => {
    const imageName = await uploadImage(svc.appUrl, await fx.jpeg(320, 240), "image/jpeg");
    const refusals: [string, RegExp][] = [
      ["&fit=stretch", /fit must be one of inside, cover/],
      ["&fit=cover&position=top", /position must be one of attention, entropy, center/],
      ["&position=entropy", /position applies to fit=cover only/],
      ["&fit=inside&position=center", /position applies to fit=cover only/],
    ];
    for (const [extra, message] of refusals) {
      const r = await ask(imageName, extra);
      assert.match(expectError(r, 400, "ValidationError").error.message, message, extra);
      assert.equal(svc.sfn.getExecutionLog(r.requestId), undefined, `${extra}: no execution`);
    }
    assert.deepEqual(await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`), []);
  });

  it("a source smaller than the box: the largest square it holds, and width/height say so", async () => {
    const imageName = await uploadImage(svc.appUrl, await fx.jpeg(300, 200), "image/jpeg");
    const result = expectThumbnail(await ask(imageName, "&fit=cover&position=entropy", "512x512"));
    assert.deepEqual([result.width, result.height, result.res, result.position], [200, 200, "512x512", "entropy"]);
    const meta = await sharp(await download(result.url)).metadata();
    assert.deepEqual([meta.width, meta.height], [200, 200]);
    const preview = await placeholderOf(result);
    assert.deepEqual([preview.width, preview.height], [16, 16]);
  });

  it("a sideways phone photo, cropped in every format: exact, its metadata gone, each with a placeholder", async () => {
    const imageName = await uploadImage(svc.appUrl, await fx.phoneJpegRotated(6, 800, 600), "image/jpeg");
    for (const format of ["jpeg", "png", "webp", "avif"] as const) {
      const result = expectThumbnail(await ask(imageName, `&format=${format}&fit=cover`, "128x128"));
      const bytes = await download(result.url);
      const meta = await sharp(bytes).metadata();
      assert.deepEqual([meta.width, meta.height, meta.exif, meta.xmp], [128, 128, undefined, undefined], format);
      for (const text of fx.PHONE_METADATA_STRINGS) assert.ok(!bytes.includes(text), `${format} contains ${text}`);
      await placeholderOf(result);
    }
  });

  it("states pass keys and one placeholder of at most 1 KB: every payload far below the 256 KiB limit", async () => {
    const imageName = await uploadImage(svc.appUrl, await fx.noisePngWithAlpha(512, 512), "image/png");
    const r = await ask(imageName, "&format=png&fit=cover");
    expectThumbnail(r);
    const states = executionOf(svc, r)?.states ?? [];
    assert.ok(states.some((s) => s.state === "Resize"));
    for (const s of states) {
      assert.ok(
        s.inputBytes < 2048 + PLACEHOLDER_MAX_LENGTH && (s.outputBytes ?? 0) < 2048 + PLACEHOLDER_MAX_LENGTH,
        `${s.state}: ${s.inputBytes} in, ${s.outputBytes} out`,
      );
    }
  });

  it("concurrent identical crop requests on a cold cache: one URL, one placeholder", async () => {
    const imageName = await uploadImage(svc.appUrl, await fx.jpeg(1200, 800, 41), "image/jpeg");
    const results = (await Promise.all(Array.from({ length: 8 }, () => ask(imageName, "&fit=cover&format=webp")))).map(
      expectThumbnail,
    );
    assert.equal(new Set(results.map((r) => r.url)).size, 1);
    assert.equal(new Set(results.map((r) => r.placeholder)).size, 1);
    assert.deepEqual(await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`), [
      results[0]?.url.slice(results[0].url.indexOf("thumbnails/")),
    ]);
  });
});
