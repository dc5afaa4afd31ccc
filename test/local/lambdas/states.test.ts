/**
 * Each Task's handler, as Lambda would call it, against the local S3 with real images: keys not
 * bytes between states, ETag-pinned reads, staging kept private, publishing by copy.
 */
import { strict as assert } from "node:assert";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { createHandler as fetchHandler } from "../../../lambdas/fetch/handler";
import { createHandler as resizeHandler } from "../../../lambdas/resize/handler";
import { createHandler as returnUrlHandler } from "../../../lambdas/return-url/handler";
import { createHandler as storePublicHandler } from "../../../lambdas/store-public/handler";
import { createHandler as validateHandler } from "../../../lambdas/validate/handler";
import { IMMUTABLE_CACHE_CONTROL } from "../../../lambdas/shared/keys";
import type { FetchedSource, ThumbnailReady, ValidatedRequest } from "../../../lambdas/shared/types";
import { jpeg, png, svgWithScript } from "../../fixtures/images";
import { imageNameFor, startStorage, type Storage } from "../../helpers/storage";
import { rejectsWith } from "../../helpers/tasks";

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
    assert.deepEqual(out, {
      ...requestFor(imageName, "128x128", "webp"),
      requestId: out.requestId,
      fit: "inside",
      sourceKey: `uploads/${imageName}`,
      width: 128,
      height: 128,
    });
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
    assert.deepEqual(resized.thumbnail, {
      width: 256,
      height: 171,
      bytes: resized.thumbnail.bytes,
      placeholder: resized.thumbnail.placeholder,
    });
    assert.match(resized.thumbnail.placeholder, /^data:image\/webp;base64,/);
    assert.ok(JSON.stringify(resized).length < 4096, "keys, not bytes, between states");
    assert.equal(
      await storage.exists(storage.config.thumbnailBucket, fetched.thumbnailKey),
      false,
      "Resize does not publish",
    );
    const anonymousStaging = await globalThis.fetch(
      `${storage.local.endpoint}/${storage.config.thumbnailBucket}/${resized.stagingKey}`,
    );
    assert.equal(anonymousStaging.status, 403, "staging/ is private");

    const published = await storePublic(resized);
    const head = await storage.s3.send(
      new HeadObjectCommand({ Bucket: storage.config.thumbnailBucket, Key: fetched.thumbnailKey }),
    );
    assert.equal(head.CacheControl, IMMUTABLE_CACHE_CONTROL);
    assert.equal(head.ContentType, "image/jpeg");
    assert.deepEqual({ w: head.Metadata?.["width"], h: head.Metadata?.["height"] }, { w: "256", h: "171" });
    assert.equal(
      head.Metadata?.["placeholder"],
      resized.thumbnail.placeholder,
      "the placeholder is published with the thumbnail",
    );

    const result = await returnUrl(published);
    assert.equal(result.url, `${storage.config.publicBaseUrl}/${fetched.thumbnailKey}`);
    const publicGet = await globalThis.fetch(result.url);
    assert.equal(publicGet.status, 200, "the thumbnail is public");
    const meta = await sharp(Buffer.from(await publicGet.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 256, 171]);
    assert.deepEqual(
      { ...result, url: undefined },
      {
        url: undefined,
        imageName,
        res: "256x256",
        width: 256,
        height: 171,
        format: "jpeg",
        fit: "inside",
        bytes: head.ContentLength,
        cached: false,
        placeholder: resized.thumbnail.placeholder,
      },
    );

    // The same request again finds it stored: Fetch says cached, with the stored dimensions.
    const again = await fetch(await validate(requestFor(imageName)));
    assert.equal(again.cached, true);
    assert.deepEqual(again.thumbnail, {
      width: 256,
      height: 171,
      bytes: head.ContentLength,
      placeholder: resized.thumbnail.placeholder,
    });
  });

  it("Validate fills in what an execution input may leave out: fit inside, and a crop's position attention", async () => {
    const imageName = imageNameFor();
    assert.deepEqual(
      [(await validate(requestFor(imageName))).fit, (await validate(requestFor(imageName))).position],
      ["inside", undefined],
    );
    const cover = await validate({ ...requestFor(imageName), fit: "cover" });
    assert.deepEqual([cover.fit, cover.position], ["cover", "attention"]);
    const entropy = await validate({ ...requestFor(imageName), fit: "cover", position: "entropy" });
    assert.deepEqual([entropy.fit, entropy.position], ["cover", "entropy"]);
    await rejectsWith(validate({ ...requestFor(imageName), position: "entropy" }), "ValidationError");
    await rejectsWith(validate({ ...requestFor(imageName), fit: "inside", position: "center" }), "ValidationError");
    await rejectsWith(validate({ ...requestFor(imageName), fit: "stretch" }), "ValidationError");
  });

  it("a cover crop has its own key, is exactly the box, and its placeholder comes back from the stored object", async () => {
    const { imageName, etag } = await upload(await jpeg(1200, 800));
    const request = { ...requestFor(imageName, "128x128"), fit: "cover", position: "entropy" };
    const fetched = await fetch(await validate(request));
    assert.equal(fetched.thumbnailKey, `thumbnails/${imageName.split(".")[0]}/${etag}/128x128-cover-entropy.jpg`);
    const published = await storePublic(await resize(fetched));
    assert.deepEqual([published.thumbnail.width, published.thumbnail.height], [128, 128]);
    const result = await returnUrl(published);
    assert.deepEqual([result.fit, result.position, result.width, result.height], ["cover", "entropy", 128, 128]);

    // A hit answers from Fetch's HEAD alone: the same placeholder, nothing decoded.
    const hit = await fetch(await validate(request));
    assert.equal(hit.cached, true);
    assert.equal(hit.thumbnail?.placeholder, published.thumbnail.placeholder);
    assert.deepEqual(await returnUrl({ ...hit, thumbnail: published.thumbnail }), { ...result, cached: true });
    // The other fits of the same size are other objects.
    assert.equal((await fetch(await validate({ ...request, position: "attention" }))).cached, false);
    assert.equal((await fetch(await validate(requestFor(imageName, "128x128")))).cached, false);
  });

  it("a thumbnail published before placeholders is remade once, then carries one", async () => {
    const { imageName } = await upload(await jpeg(640, 480));
    const fetched = await fetch(await validate(requestFor(imageName)));
    const made = await resize(fetched);
    // As Resize wrote them before this change: dimensions, no placeholder.
    const old = await storage.get(storage.config.thumbnailBucket, made.stagingKey ?? "");
    await storage.s3.send(
      new PutObjectCommand({
        Bucket: storage.config.thumbnailBucket,
        Key: fetched.thumbnailKey,
        Body: old,
        ContentType: "image/jpeg",
        CacheControl: IMMUTABLE_CACHE_CONTROL,
        Metadata: {
          width: String(made.thumbnail.width),
          height: String(made.thumbnail.height),
          "source-etag": fetched.etag,
        },
      }),
    );
    const legacy = await fetch(await validate(requestFor(imageName)));
    assert.equal(legacy.cached, false, "no placeholder stored: not a hit");
    await storePublic(await resize(legacy));
    const head = await storage.s3.send(
      new HeadObjectCommand({ Bucket: storage.config.thumbnailBucket, Key: fetched.thumbnailKey }),
    );
    assert.equal(head.Metadata?.["placeholder"], made.thumbnail.placeholder);
    assert.deepEqual(
      await storage.get(storage.config.thumbnailBucket, fetched.thumbnailKey),
      old,
      "the same bytes at the same URL",
    );
    const hit = await fetch(await validate(requestFor(imageName)));
    assert.deepEqual([hit.cached, hit.thumbnail?.placeholder], [true, made.thumbnail.placeholder]);
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
    assert.deepEqual(
      await storage.get(storage.config.thumbnailBucket, a.stagingKey ?? ""),
      first,
      "deterministic output",
    );
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
    await storage.s3.send(
      new DeleteObjectCommand({ Bucket: storage.config.sourceBucket, Key: `uploads/${imageName}` }),
    );
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
    const fault = storage.local.faults.add({
      bucket: storage.config.sourceBucket,
      status: 503,
      code: "ServiceUnavailable",
    });
    try {
      await rejectsWith(fetch(validated), "ServiceUnavailable");
    } finally {
      fault.remove();
    }
    const fetched = await fetch(validated);
    const putFault = storage.local.faults.add({
      method: "PUT",
      bucket: storage.config.thumbnailBucket,
      status: 500,
      code: "InternalError",
    });
    try {
      await rejectsWith(resize(fetched), "ServiceUnavailable");
    } finally {
      putFault.remove();
    }
    assert.equal((await resize(fetched)).cached, false, "the next call after recovery succeeds");
  });
});
