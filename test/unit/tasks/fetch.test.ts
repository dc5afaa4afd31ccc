/** Fetch's core in memory: the pinned ETag, the key it derives, and how storage answers map to the contract. */
import { strict as assert } from "node:assert";
import { fetchSource } from "../../../lambdas/fetch/fetch";
import { IMMUTABLE_CACHE_CONTROL, thumbnailKey } from "../../../lambdas/shared/keys";
import { accessDenied, storageUnavailable } from "../../helpers/memory-object-store";
import { rejectsWith, taskWorld } from "../../helpers/tasks";

const PLACEHOLDER = "data:image/webp;base64,UklGRg==";

describe("Fetch (core, in memory)", () => {
  it("pins the upload's ETag and its size, and derives the thumbnail's key from that version", async () => {
    const w = taskWorld();
    const { imageName, etag } = await w.upload(Buffer.from("jpeg bytes"));
    const input = w.request(imageName, { fit: "cover", position: "entropy", format: "webp" });
    const out = await fetchSource(input, w);
    assert.deepEqual(out, {
      ...input,
      etag,
      sourceBytes: "jpeg bytes".length,
      thumbnailKey: thumbnailKey(imageName, etag, "256x256", "webp", "cover", "entropy"),
      cached: false,
    });
    assert.deepEqual(
      w.store.calls.map((c) => [c.op, c.bucket]),
      [
        ["head", w.config.sourceBucket],
        ["head", w.config.thumbnailBucket],
      ],
      "metadata only: two HEADs, no body read",
    );
  });

  it("a name never uploaded -> ImageNotFound naming it", async () => {
    const w = taskWorld();
    const error = await rejectsWith(
      fetchSource(w.request("0b8e5f5e-8e5c-4c3e-9c51-0d6e3e0f2a11.jpg"), w),
      "ImageNotFound",
    );
    assert.match(error.message, /0b8e5f5e-8e5c-4c3e-9c51-0d6e3e0f2a11\.jpg/);
  });

  it("storage unavailable while reading the upload -> ServiceUnavailable, never ImageNotFound", async () => {
    const w = taskWorld();
    const { imageName } = await w.upload(Buffer.from("jpeg bytes"));
    w.store.fail({ op: "head", bucket: w.config.sourceBucket }, storageUnavailable());
    const error = await rejectsWith(fetchSource(w.request(imageName), w), "ServiceUnavailable");
    assert.match(error.message, /reading the upload/);
  });

  it("storage unavailable while looking for a stored thumbnail -> ServiceUnavailable, not a remade thumbnail", async () => {
    const w = taskWorld();
    const { imageName } = await w.upload(Buffer.from("jpeg bytes"));
    w.store.fail({ op: "head", bucket: w.config.thumbnailBucket }, storageUnavailable());
    const error = await rejectsWith(fetchSource(w.request(imageName), w), "ServiceUnavailable");
    assert.match(error.message, /looking for a stored thumbnail/);
  });

  it("a refusal that is neither missing nor a fault (403) is rethrown as it came: a bug, not a 404 or a 503", async () => {
    const w = taskWorld();
    const { imageName } = await w.upload(Buffer.from("jpeg bytes"));
    const denied = accessDenied();
    w.store.fail({ op: "head", bucket: w.config.sourceBucket }, denied);
    await assert.rejects(fetchSource(w.request(imageName), w), (err: unknown) => err === denied);
  });

  it("an upload over MAX_UPLOAD_BYTES -> ImageTooLarge giving both sizes, before looking for a thumbnail", async () => {
    const w = taskWorld({ MAX_UPLOAD_BYTES: "100" });
    const { imageName } = await w.upload(Buffer.alloc(101));
    const error = await rejectsWith(fetchSource(w.request(imageName), w), "ImageTooLarge");
    assert.match(error.message, /101 bytes; the limit is 100 bytes/);
    assert.equal(w.store.callsOf("head").length, 1);
  });

  it("a stored thumbnail of that version is found: cached, with its dimensions, size and placeholder", async () => {
    const w = taskWorld();
    const { imageName, etag } = await w.upload(Buffer.from("jpeg bytes"));
    const key = thumbnailKey(imageName, etag, "256x256", "jpeg");
    const thumb = Buffer.from("thumbnail bytes");
    await w.store.put(w.config.thumbnailBucket, key, thumb, {
      contentType: "image/jpeg",
      cacheControl: IMMUTABLE_CACHE_CONTROL,
      metadata: { width: "256", height: "171", "source-etag": etag, placeholder: PLACEHOLDER },
    });
    const out = await fetchSource(w.request(imageName), w);
    assert.equal(out.cached, true);
    assert.deepEqual(out.thumbnail, { width: 256, height: 171, bytes: thumb.length, placeholder: PLACEHOLDER });
  });

  it("a thumbnail of another version, size or fit is not this one: not cached", async () => {
    const w = taskWorld();
    const { imageName, etag } = await w.upload(Buffer.from("jpeg bytes"));
    const metadata = { width: "256", height: "171", placeholder: PLACEHOLDER };
    const put = (key: string) =>
      w.store.put(w.config.thumbnailBucket, key, Buffer.from("t"), {
        contentType: "image/jpeg",
        cacheControl: IMMUTABLE_CACHE_CONTROL,
        metadata,
      });
    await put(thumbnailKey(imageName, "0".repeat(32), "256x256", "jpeg"));
    await put(thumbnailKey(imageName, etag, "128x128", "jpeg"));
    await put(thumbnailKey(imageName, etag, "256x256", "jpeg", "cover", "attention"));
    const out = await fetchSource(w.request(imageName), w);
    assert.deepEqual([out.cached, out.thumbnail], [false, undefined]);
  });
});
