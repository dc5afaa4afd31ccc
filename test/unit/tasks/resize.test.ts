/**
 * Resize's core in memory: it reads only the version Fetch pinned, writes the thumbnail under the
 * private staging/ prefix with the metadata a hit and StorePublic's copy rely on, and maps what
 * storage answers to the contract. The image work itself is makeThumbnail's (test/unit/image-*).
 */
import { strict as assert } from "node:assert";
import sharp from "sharp";
import { fetchSource } from "../../../lambdas/fetch/fetch";
import { resizeSource } from "../../../lambdas/resize/resize";
import { IMMUTABLE_CACHE_CONTROL, stagingKey } from "../../../lambdas/shared/keys";
import type { FetchedSource } from "../../../lambdas/shared/types";
import { jpeg, svgWithScript } from "../../fixtures/images";
import { storageUnavailable } from "../../helpers/memory-object-store";
import { rejectsWith, taskWorld, type TaskWorld } from "../../helpers/tasks";

/** An upload of `body`, through Validate and Fetch as the workflow hands it to Resize. */
async function fetched(w: TaskWorld, body: Buffer, format: "jpeg" | "png" = "jpeg"): Promise<FetchedSource> {
  const { imageName } = await w.upload(body);
  return fetchSource(w.request(imageName, { format }), w);
}

describe("Resize (core, in memory)", () => {
  it("reads the pinned version and writes the thumbnail to staging/ with its type, cache control and metadata", async () => {
    const w = taskWorld();
    const input = await fetched(w, await jpeg(1200, 800));
    const out = await resizeSource(input, w);

    const key = stagingKey(input.requestId, input.thumbnailKey);
    assert.equal(out.stagingKey, key);
    const staged = w.store.object(w.config.thumbnailBucket, key);
    assert.ok(staged, "the thumbnail is staged");
    assert.deepEqual([staged.contentType, staged.cacheControl], ["image/jpeg", IMMUTABLE_CACHE_CONTROL]);
    assert.deepEqual(staged.metadata, {
      width: "256",
      height: "171",
      "source-etag": input.etag,
      placeholder: out.thumbnail.placeholder,
    });
    assert.match(out.thumbnail.placeholder, /^data:image\/webp;base64,/);
    assert.deepEqual(out.thumbnail, {
      width: 256,
      height: 171,
      bytes: staged.body.length,
      placeholder: out.thumbnail.placeholder,
    });
    const meta = await sharp(staged.body).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 256, 171]);

    assert.deepEqual(
      { ...out, stagingKey: undefined, thumbnail: undefined },
      { ...input, stagingKey: undefined, thumbnail: undefined },
      "the rest of the state passes through",
    );
    assert.deepEqual(w.store.keys(w.config.thumbnailBucket, "thumbnails/"), [], "Resize never publishes");
    assert.deepEqual(
      w.store.calls.slice(-3).map((c) => [c.op, c.key]),
      [
        ["getIfMatch", input.sourceKey],
        ["read", input.sourceKey],
        ["put", key],
      ],
    );
  });

  it("each execution stages under its own request id, so concurrent identical requests never overwrite each other", async () => {
    const w = taskWorld();
    const input = await fetched(w, await jpeg(300, 200));
    const [a, b] = await Promise.all([
      resizeSource(input, w),
      resizeSource({ ...input, requestId: "other-request" }, w),
    ]);
    assert.notEqual(a.stagingKey, b.stagingKey);
    assert.deepEqual(w.store.keys(w.config.thumbnailBucket, "staging/").sort(), [a.stagingKey, b.stagingKey].sort());
  });

  it("a source replaced after Fetch -> SourceChanged, and nothing is staged", async () => {
    const w = taskWorld();
    const input = await fetched(w, await jpeg(400, 300, 1));
    await w.store.put(w.config.sourceBucket, input.sourceKey, await jpeg(400, 300, 2), {
      contentType: "image/jpeg",
      cacheControl: "no-cache",
      metadata: {},
    });
    await rejectsWith(resizeSource(input, w), "SourceChanged");
    assert.deepEqual(w.store.keys(w.config.thumbnailBucket), []);
    assert.equal(w.store.callsOf("read").length, 0, "the new version's bytes were never read");
  });

  it("a store that ignored If-Match still never mixes versions: SourceChanged, the body discarded unread", async () => {
    const w = taskWorld({}, { ignoreIfMatch: true });
    const input = await fetched(w, await jpeg(400, 300, 1));
    await w.store.put(w.config.sourceBucket, input.sourceKey, await jpeg(400, 300, 2), {
      contentType: "image/jpeg",
      cacheControl: "no-cache",
      metadata: {},
    });
    await rejectsWith(resizeSource(input, w), "SourceChanged");
    assert.deepEqual([w.store.callsOf("read").length, w.store.callsOf("discard").length], [0, 1]);
    assert.deepEqual(w.store.keys(w.config.thumbnailBucket), []);
  });

  it("a source deleted after Fetch -> ImageNotFound", async () => {
    const w = taskWorld();
    const input = await fetched(w, await jpeg(400, 300));
    w.store.delete(w.config.sourceBucket, input.sourceKey);
    await rejectsWith(resizeSource(input, w), "ImageNotFound");
    assert.deepEqual(w.store.keys(w.config.thumbnailBucket), []);
  });

  it("a body over MAX_UPLOAD_BYTES at Resize (the limit lowered since Fetch) -> ImageTooLarge, discarded unread", async () => {
    const w = taskWorld({ MAX_UPLOAD_BYTES: "1000000" });
    const input = await fetched(w, await jpeg(64, 64));
    const smaller = { ...w, config: { ...w.config, maxUploadBytes: input.sourceBytes - 1 } };
    await rejectsWith(resizeSource(input, smaller), "ImageTooLarge");
    assert.deepEqual([w.store.callsOf("read").length, w.store.callsOf("discard").length], [0, 1]);
  });

  it("bytes that are not an image (an SVG uploaded as a JPEG) -> UnsupportedImageType, nothing staged", async () => {
    const w = taskWorld();
    const input = await fetched(w, await svgWithScript());
    await rejectsWith(resizeSource(input, w), "UnsupportedImageType");
    assert.deepEqual(w.store.keys(w.config.thumbnailBucket), []);
  });

  for (const op of ["getIfMatch", "read", "put"] as const) {
    it(`storage unavailable (${op}) -> ServiceUnavailable, never ImageNotFound; the next call succeeds`, async () => {
      const w = taskWorld();
      const input = await fetched(w, await jpeg(200, 100));
      w.store.fail({ op, times: 1 }, storageUnavailable());
      await rejectsWith(resizeSource(input, w), "ServiceUnavailable");
      assert.deepEqual(w.store.keys(w.config.thumbnailBucket), []);
      assert.ok((await resizeSource(input, w)).stagingKey);
    });
  }
});
