/**
 * Each Task's handler, as Lambda would call it, against the local S3 with real images: keys not
 * bytes between states, ETag-pinned reads, staging kept private, publishing by copy.
 */
import { strict as assert } from "node:assert";
import { DeleteObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { createHandler as fetchHandler } from "../../lambdas/fetch/handler";
import { createHandler as resizeHandler } from "../../lambdas/resize/handler";
import { createHandler as returnUrlHandler } from "../../lambdas/return-url/handler";
import { createHandler as storePublicHandler } from "../../lambdas/store-public/handler";
import { createHandler as validateHandler } from "../../lambdas/validate/handler";
import { ServiceError } from "../../lambdas/shared/errors";
import { IMMUTABLE_CACHE_CONTROL } from "../../lambdas/shared/keys";
import type { FetchedSource, ThumbnailReady, ValidatedRequest } from "../../lambdas/shared/types";
import { jpeg, png, svgWithScript } from "../fixtures/images";
import { imageNameFor, startStorage, type Storage } from "../helpers/storage";

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<ServiceError> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected ${code}`),
    (err: unknown) => {
      caught = err;
    },
  );
  assert.ok(caught instanceof ServiceError, `not a ServiceError: ${String(caught)}`);
  assert.equal(caught.name, code, caught.message);
  return caught;
}

describe("task handlers against the local S3", function () {
  this.timeout(30_000);
  let storage: Storage;
  let validate: ReturnType<typeof validateHandler>;
  let fetch: ReturnType<typeof fetchHandler>;
  let resize: ReturnType<typeof resizeHandler>;
  let storePublic: ReturnType<typeof storePublicHandler>;
  let returnUrl: ReturnType<typeof returnUrlHandler>;

  before(async () => {
    storage = await startStorage();
    const deps = () => ({ config: storage.config, s3: storage.s3 });
    validate = validateHandler(deps);
    fetch = fetchHandler(deps);
    resize = resizeHandler(deps);
    storePublic = storePublicHandler(deps);
    returnUrl = returnUrlHandler(deps);
  });
  after(async () => storage?.close());

  async function upload(body: Buffer, ext = "jpg"): Promise<{ imageName: string; etag: string }> {
    const imageName = imageNameFor(ext);
    const etag = await storage.put(`uploads/${imageName}`, body);
    return { imageName, etag };
  }

  const requestFor = (imageName: string, res = "256x256", format = "jpeg") => ({
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    imageName,
    res,
    format,
  });

  it("Validate derives the key and box, and refuses what config does not offer", async () => {
    const imageName = imageNameFor();
    const out = await validate(requestFor(imageName, "128x128", "webp"));
    assert.deepEqual(out, { ...requestFor(imageName, "128x128", "webp"), requestId: out.requestId, sourceKey: `uploads/${imageName}`, width: 128, height: 128 });
    await rejectsWith(validate(requestFor(imageName, "100x100")), "ValidationError");
    await rejectsWith(validate({ ...requestFor(imageName), imageName: "../etc/passwd" }), "ValidationError");
    await rejectsWith(validate({ ...requestFor(imageName), bucket: "other" }), "ValidationError");
  });

  it("a state given malformed input (our bug, not the client's) fails as InternalError", async () => {
    await rejectsWith(fetch({ imageName: "x" }), "InternalError");
  });

  it("runs Validate -> Fetch -> Resize -> StorePublic -> ReturnUrl on a real JPEG", async () => {
    const { imageName, etag } = await upload(await jpeg(1200, 800));
    const validated: ValidatedRequest = await validate(requestFor(imageName));
    const fetched: FetchedSource = await fetch(validated);
    assert.equal(fetched.etag, etag);
    assert.equal(fetched.cached, false);
    assert.equal(fetched.thumbnailKey, `thumbnails/${imageName.split(".")[0]}/${etag}/256x256.jpg`);

    const resized: ThumbnailReady = await resize(fetched);
    assert.ok(resized.stagingKey?.startsWith(`staging/${validated.requestId}/`));
    assert.deepEqual(resized.thumbnail, { width: 256, height: 171, bytes: resized.thumbnail.bytes });
    assert.ok(JSON.stringify(resized).length < 4096, "keys, not bytes, between states");
    assert.equal(await storage.exists(storage.config.thumbnailBucket, fetched.thumbnailKey), false, "Resize does not publish");
    const anonymousStaging = await globalThis.fetch(`${storage.local.endpoint}/${storage.config.thumbnailBucket}/${resized.stagingKey}`);
    assert.equal(anonymousStaging.status, 403, "staging/ is private");

    const published = await storePublic(resized);
    const head = await storage.s3.send(new HeadObjectCommand({ Bucket: storage.config.thumbnailBucket, Key: fetched.thumbnailKey }));
    assert.equal(head.CacheControl, IMMUTABLE_CACHE_CONTROL);
    assert.equal(head.ContentType, "image/jpeg");
    assert.deepEqual({ w: head.Metadata?.["width"], h: head.Metadata?.["height"] }, { w: "256", h: "171" });

    const result = await returnUrl(published);
    assert.equal(result.url, `${storage.config.publicBaseUrl}/${fetched.thumbnailKey}`);
    const publicGet = await globalThis.fetch(result.url);
    assert.equal(publicGet.status, 200, "the thumbnail is public");
    const meta = await sharp(Buffer.from(await publicGet.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 256, 171]);
    assert.deepEqual({ ...result, url: undefined }, { url: undefined, imageName, res: "256x256", width: 256, height: 171, format: "jpeg", bytes: head.ContentLength, cached: false });

    // The same request again finds it stored: Fetch says cached, with the stored dimensions.
    const again = await fetch(await validate(requestFor(imageName)));
    assert.equal(again.cached, true);
    assert.deepEqual(again.thumbnail, { width: 256, height: 171, bytes: head.ContentLength });
  });

  it("StorePublic publishes once: a second identical publish leaves the first object", async () => {
    const { imageName } = await upload(await png(300, 200), "png");
    const fetched = await fetch(await validate(requestFor(imageName, "64x64", "png")));
    const a = await resize(fetched);
    const b = await resize({ ...fetched, requestId: "other-request" });
    await storePublic(a);
    const first = await storage.get(storage.config.thumbnailBucket, fetched.thumbnailKey);
    await storePublic(b);
    assert.deepEqual(await storage.get(storage.config.thumbnailBucket, fetched.thumbnailKey), first);
    assert.deepEqual(await storage.get(storage.config.thumbnailBucket, a.stagingKey ?? ""), first, "deterministic output");
  });

  it("Fetch: a never-uploaded name is ImageNotFound", async () => {
    await rejectsWith(fetch(await validate(requestFor(imageNameFor()))), "ImageNotFound");
  });

  it("Resize: a source replaced after Fetch is SourceChanged, and nothing is staged", async () => {
    const { imageName } = await upload(await jpeg(400, 300, 1));
    const fetched = await fetch(await validate(requestFor(imageName)));
    await storage.put(`uploads/${imageName}`, await jpeg(400, 300, 2));
    await rejectsWith(resize(fetched), "SourceChanged");
  });

  it("Resize: a source deleted after Fetch is ImageNotFound", async () => {
    const { imageName } = await upload(await jpeg(400, 300));
    const fetched = await fetch(await validate(requestFor(imageName)));
    await storage.s3.send(new DeleteObjectCommand({ Bucket: storage.config.sourceBucket, Key: `uploads/${imageName}` }));
    await rejectsWith(resize(fetched), "ImageNotFound");
  });

  it("Resize: an SVG uploaded as a JPEG is UnsupportedImageType", async () => {
    const { imageName } = await upload(await svgWithScript());
    const fetched = await fetch(await validate(requestFor(imageName)));
    await rejectsWith(resize(fetched), "UnsupportedImageType");
  });

  it("storage faults are ServiceUnavailable, never ImageNotFound", async () => {
    const { imageName } = await upload(await jpeg(200, 100));
    const validated = await validate(requestFor(imageName));
    const fault = storage.local.faults.add({ bucket: storage.config.sourceBucket, status: 503, code: "ServiceUnavailable" });
    try {
      await rejectsWith(fetch(validated), "ServiceUnavailable");
    } finally {
      fault.remove();
    }
    const fetched = await fetch(validated);
    const putFault = storage.local.faults.add({ method: "PUT", bucket: storage.config.thumbnailBucket, status: 500, code: "InternalError" });
    try {
      await rejectsWith(resize(fetched), "ServiceUnavailable");
    } finally {
      putFault.remove();
    }
    assert.equal((await resize(fetched)).cached, false, "the next call after recovery succeeds");
  });
});
