/**
 * The in-memory ObjectStore the core tests run on: held to S3's answers by the shared contract (the
 * same suite runs against the local S3 in test/local/s3-object-store.test.ts), plus its test knobs.
 */
import { strict as assert } from "node:assert";
import { isTransient } from "../../../lambdas/shared/storage-errors";
import { accessDenied, MemoryObjectStore, storageUnavailable } from "../../helpers/memory-object-store";
import { objectStoreContract } from "../../helpers/object-store-contract";

const opts = { contentType: "image/jpeg", cacheControl: "no-cache", metadata: {} };

objectStoreContract("in memory", () => ({ store: new MemoryObjectStore(["bucket"]), bucket: "bucket" }));

describe("MemoryObjectStore: test knobs", () => {
  it("an armed failure throws for matching calls only, `times` times, and the call is still recorded", async () => {
    const store = new MemoryObjectStore(["a", "b"]);
    const fault = storageUnavailable();
    store.fail({ op: "head", bucket: "a", keyPrefix: "uploads/", times: 2 }, fault);
    await assert.rejects(store.head("a", "uploads/x"), (err: unknown) => err === fault);
    assert.equal(await store.head("a", "other/x"), undefined, "another prefix");
    assert.equal(await store.head("b", "uploads/x"), undefined, "another bucket");
    await assert.rejects(store.head("a", "uploads/y"));
    assert.equal(await store.head("a", "uploads/x"), undefined, "used up");
    assert.equal(store.callsOf("head").length, 5);
  });

  it("its faults are what the cores' mapping calls transient, and its 403 is not", () => {
    assert.equal(isTransient(storageUnavailable()), true);
    assert.equal(isTransient(accessDenied()), false);
  });

  it("a bucket it does not hold is a failure (S3's NoSuchBucket), never a missing key", async () => {
    const store = new MemoryObjectStore(["a"]);
    await assert.rejects(store.head("nope", "k"), /bucket nope/);
  });

  it("ignoreIfMatch plays a store without conditional reads: an old ETag still gets the current bytes", async () => {
    const store = new MemoryObjectStore(["a"], { ignoreIfMatch: true });
    await store.put("a", "k", Buffer.from("new"), opts);
    const read = await store.getIfMatch("a", "k", "0".repeat(32));
    assert.equal(read.status, "found");
    assert.notEqual(read.head.etag, "0".repeat(32));
  });

  it("object() and keys() show what is stored, and changing what they return changes nothing stored", async () => {
    const store = new MemoryObjectStore(["a"]);
    await store.put("a", "x/1", Buffer.from("one"), { ...opts, metadata: { Width: "1" } });
    await store.put("a", "y/2", Buffer.from("two"), opts);
    assert.deepEqual(store.keys("a", "x/"), ["x/1"]);
    const copy = store.object("a", "x/1");
    assert.ok(copy);
    assert.deepEqual(copy.metadata, { width: "1" }, "metadata names lower-case, as S3 keeps them");
    copy.body.fill(0);
    assert.deepEqual(store.object("a", "x/1")?.body, Buffer.from("one"));
  });
});
