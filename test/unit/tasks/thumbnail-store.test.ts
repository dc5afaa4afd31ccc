/** findStoredThumbnail in memory: only an object with our metadata is a stored thumbnail. */
import { strict as assert } from "node:assert";
import { IMMUTABLE_CACHE_CONTROL } from "../../../lambdas/shared/keys";
import { findStoredThumbnail } from "../../../lambdas/shared/thumbnail-store";
import { MemoryObjectStore } from "../../helpers/memory-object-store";

const BUCKET = "thumbnails-bucket";
const KEY = "thumbnails/id/etag/256x256.jpg";
const PLACEHOLDER = "data:image/webp;base64,UklGRg==";

async function storedWith(metadata: Record<string, string>): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore([BUCKET]);
  await store.put(BUCKET, KEY, Buffer.alloc(1234), {
    contentType: "image/jpeg",
    cacheControl: IMMUTABLE_CACHE_CONTROL,
    metadata,
  });
  return store;
}

describe("findStoredThumbnail (in memory)", () => {
  it("answers dimensions, size and placeholder from the HEAD alone", async () => {
    const store = await storedWith({ width: "256", height: "192", placeholder: PLACEHOLDER });
    assert.deepEqual(await findStoredThumbnail(store, BUCKET, KEY), {
      width: 256,
      height: 192,
      bytes: 1234,
      placeholder: PLACEHOLDER,
    });
    assert.deepEqual(
      store.calls.map((c) => c.op),
      ["put", "head"],
    );
  });

  it("nothing under the key -> undefined", async () => {
    assert.equal(await findStoredThumbnail(new MemoryObjectStore([BUCKET]), BUCKET, KEY), undefined);
  });

  it("an object without our metadata (published before placeholders, or not by us) -> undefined, to be remade", async () => {
    const incomplete: Record<string, string>[] = [
      { width: "256", height: "192" },
      { width: "256", height: "192", placeholder: "data:image/png;base64,AAAA" },
      { width: "256", height: "192", placeholder: `data:image/webp;base64,${"A".repeat(1100)}` },
      { width: "0", height: "192", placeholder: PLACEHOLDER },
      { width: "25.5", height: "192", placeholder: PLACEHOLDER },
      { height: "192", placeholder: PLACEHOLDER },
      {},
    ];
    for (const metadata of incomplete) {
      assert.equal(
        await findStoredThumbnail(await storedWith(metadata), BUCKET, KEY),
        undefined,
        JSON.stringify(metadata),
      );
    }
  });
});
