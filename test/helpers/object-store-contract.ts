/**
 * What every ObjectStore must answer as S3 does, run against S3ObjectStore on the local S3
 * (test/local/s3-object-store.test.ts) and against MemoryObjectStore (test/unit/tasks/): the unit
 * tests of the Task cores are only as honest as the store they run on.
 */
import { strict as assert } from "node:assert";
import { createHash, randomUUID } from "node:crypto";
import type { ObjectStore, PinnedRead } from "../../lambdas/shared/object-store";

export interface ContractTarget {
  store: ObjectStore;
  /** A bucket the store can write to and read from. */
  bucket: string;
}

const md5 = (bytes: Buffer): string => createHash("md5").update(bytes).digest("hex");
const options = {
  contentType: "image/webp",
  cacheControl: "public, max-age=60",
  metadata: { width: "64", "source-etag": "abc" },
};

function found(read: PinnedRead): Extract<PinnedRead, { status: "found" }> {
  assert.equal(read.status, "found");
  return read;
}

export function objectStoreContract(name: string, target: () => ContractTarget): void {
  describe(`ObjectStore contract: ${name}`, () => {
    const key = () => `contract/${randomUUID()}.bin`;

    it("a key that holds nothing: head is undefined and a pinned read is missing, neither a failure", async () => {
      const { store, bucket } = target();
      const k = key();
      assert.equal(await store.head(bucket, k), undefined);
      assert.deepEqual(await store.getIfMatch(bucket, k, md5(Buffer.from("x"))), { status: "missing" });
    });

    it("put then head: the ETag is the bytes' MD5, bare and lower-case, with size, types and metadata", async () => {
      const { store, bucket } = target();
      const k = key();
      const body = Buffer.from("first version");
      await store.put(bucket, k, body, options);
      assert.deepEqual(await store.head(bucket, k), {
        etag: md5(body),
        size: body.length,
        contentType: options.contentType,
        cacheControl: options.cacheControl,
        metadata: options.metadata,
      });
    });

    it("a read pinned to the current ETag gets the bytes; to a replaced version's, it is changed", async () => {
      const { store, bucket } = target();
      const k = key();
      const first = Buffer.from("first version");
      await store.put(bucket, k, first, options);
      const read = found(await store.getIfMatch(bucket, k, md5(first)));
      assert.equal(read.head.etag, md5(first));
      assert.deepEqual(await read.body.bytes(), first);

      const second = Buffer.from("second version");
      await store.put(bucket, k, second, options);
      assert.equal((await store.head(bucket, k))?.etag, md5(second), "a replaced object has a new ETag");
      assert.deepEqual(await store.getIfMatch(bucket, k, md5(first)), { status: "changed" });
    });

    it("a discarded body leaves the object as it was", async () => {
      const { store, bucket } = target();
      const k = key();
      const body = Buffer.alloc(256 * 1024, 7);
      await store.put(bucket, k, body, options);
      found(await store.getIfMatch(bucket, k, md5(body))).body.discard();
      assert.deepEqual(await found(await store.getIfMatch(bucket, k, md5(body))).body.bytes(), body);
    });

    it("a copy keeps the bytes, ETag, content type, cache control and metadata", async () => {
      const { store, bucket } = target();
      const [from, to] = [key(), key()];
      const body = Buffer.from("staged thumbnail");
      await store.put(bucket, from, body, options);
      await store.copy(bucket, from, to);
      assert.deepEqual(await store.head(bucket, to), await store.head(bucket, from));
      assert.deepEqual(await found(await store.getIfMatch(bucket, to, md5(body))).body.bytes(), body);
    });

    it("a copy of a key that holds nothing fails, and creates nothing", async () => {
      const { store, bucket } = target();
      const to = key();
      await assert.rejects(store.copy(bucket, key(), to));
      assert.equal(await store.head(bucket, to), undefined);
    });
  });
}
