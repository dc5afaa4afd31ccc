/**
 * S3ObjectStore, the store the handlers pass, against the local S3 through the real SDK: S3's answers
 * (no such key, a failed If-Match, metadata, ETags) as the shared contract states them, and a fault of
 * the storage thrown as the SDK threw it, for the cores' mapping.
 */
import { strict as assert } from "node:assert";
import { S3ObjectStore } from "../../lambdas/shared/s3-object-store";
import { isTransient } from "../../lambdas/shared/storage-errors";
import { objectStoreContract } from "../helpers/object-store-contract";
import { startStorage, type Storage } from "../helpers/storage";

describe("S3ObjectStore against the local S3", function () {
  this.timeout(30_000);
  let storage: Storage;
  let store: S3ObjectStore;

  before(async () => {
    storage = await startStorage();
    store = new S3ObjectStore(storage.s3);
  });
  after(async () => storage?.close());
  afterEach(() => storage.local.faults.clear());

  objectStoreContract("S3 (local S3, real SDK)", () => ({ store, bucket: storage.config.thumbnailBucket }));

  for (const [op, method] of [
    ["head", "HEAD"],
    ["getIfMatch", "GET"],
  ] as const) {
    it(`a 503 of the storage on ${op} is thrown as a transient SDK error, never answered as missing`, async () => {
      storage.local.faults.add({ method, bucket: storage.config.thumbnailBucket, status: 503, code: "SlowDown" });
      const call =
        op === "head"
          ? store.head(storage.config.thumbnailBucket, "k")
          : store.getIfMatch(storage.config.thumbnailBucket, "k", "0".repeat(32));
      await assert.rejects(call, (err: unknown) => isTransient(err));
    });
  }
});
