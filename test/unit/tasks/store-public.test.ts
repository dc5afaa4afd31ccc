/**
 * StorePublic's core in memory: it publishes the staged thumbnail by a copy that keeps what Resize
 * set, publishes a key once (the first identical request's object stays), and maps storage faults.
 */
import { strict as assert } from "node:assert";
import { fetchSource } from "../../../lambdas/fetch/fetch";
import { resizeSource } from "../../../lambdas/resize/resize";
import type { ThumbnailReady } from "../../../lambdas/shared/types";
import { storePublic } from "../../../lambdas/store-public/store-public";
import { jpeg } from "../../fixtures/images";
import { storageUnavailable } from "../../helpers/memory-object-store";
import { rejectsWith, taskWorld, type TaskWorld } from "../../helpers/tasks";

async function staged(w: TaskWorld, requestId?: string): Promise<ThumbnailReady> {
  const { imageName } = await w.upload(await jpeg(480, 320));
  const fetched = await fetchSource(w.request(imageName), w);
  return resizeSource(requestId ? { ...fetched, requestId } : fetched, w);
}

describe("StorePublic (core, in memory)", () => {
  it("copies the staged thumbnail to its public key: the same bytes, type, cache control and metadata", async () => {
    const w = taskWorld();
    const input = await staged(w);
    assert.deepEqual(await storePublic(input, w), input, "its output is its input");
    const published = w.store.object(w.config.thumbnailBucket, input.thumbnailKey);
    const stagedObject = w.store.object(w.config.thumbnailBucket, input.stagingKey ?? "");
    assert.ok(published && stagedObject);
    assert.deepEqual(published, stagedObject);
    assert.equal(published.metadata["placeholder"], input.thumbnail.placeholder);
    assert.deepEqual(
      w.store.callsOf("copy").map((c) => c.key),
      [input.thumbnailKey],
    );
  });

  it("publishes once: when an identical request published first, its object stays and no copy is made", async () => {
    const w = taskWorld();
    const first = await staged(w);
    await storePublic(first, w);
    const before = w.store.object(w.config.thumbnailBucket, first.thumbnailKey);
    const second = {
      ...first,
      requestId: "other-request",
      stagingKey: `staging/other-request/${first.thumbnailKey.slice("thumbnails/".length)}`,
    };
    await storePublic(second, w);
    assert.equal(w.store.callsOf("copy").length, 1, "only the first publish copied");
    assert.deepEqual(w.store.object(w.config.thumbnailBucket, first.thumbnailKey), before);
  });

  it("a stored object without our metadata (published before placeholders) is republished over", async () => {
    const w = taskWorld();
    const input = await staged(w);
    await w.store.put(w.config.thumbnailBucket, input.thumbnailKey, Buffer.from("old"), {
      contentType: "image/jpeg",
      cacheControl: "public",
      metadata: { width: String(input.thumbnail.width), height: String(input.thumbnail.height) },
    });
    await storePublic(input, w);
    assert.equal(
      w.store.object(w.config.thumbnailBucket, input.thumbnailKey)?.metadata["placeholder"],
      input.thumbnail.placeholder,
    );
  });

  it("reached with nothing staged and nothing published -> InternalError (a bug in the workflow, not the client's)", async () => {
    const w = taskWorld();
    const { stagingKey: _staged, ...unstaged } = await staged(w);
    await rejectsWith(storePublic(unstaged, w), "InternalError");
    assert.deepEqual(w.store.keys(w.config.thumbnailBucket, "thumbnails/"), []);
  });

  for (const op of ["head", "copy"] as const) {
    it(`storage unavailable (${op}) -> ServiceUnavailable and nothing public; the retry publishes`, async () => {
      const w = taskWorld();
      const input = await staged(w);
      w.store.fail({ op, bucket: w.config.thumbnailBucket, times: 1 }, storageUnavailable());
      await rejectsWith(storePublic(input, w), "ServiceUnavailable");
      assert.deepEqual(w.store.keys(w.config.thumbnailBucket, "thumbnails/"), []);
      await storePublic(input, w);
      assert.deepEqual(w.store.keys(w.config.thumbnailBucket, "thumbnails/"), [input.thumbnailKey]);
    });
  }
});
