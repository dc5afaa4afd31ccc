/**
 * An ObjectStore in memory with S3's semantics (the contract suite, object-store-contract.ts, holds it
 * to the same answers as S3ObjectStore against the local S3): ETags are the MD5 of the bytes, as S3's
 * are for a single PUT; a replaced object gets a new one; a failed If-Match is "changed"; copies keep
 * content type, cache control and metadata. For the unit tests of the Task cores it also records
 * every call, injects failures per operation, and can play a store that ignores If-Match.
 */
import { createHash } from "node:crypto";
import type { ObjectHead, ObjectStore, PinnedRead, PutOptions } from "../../lambdas/shared/object-store";

/** `read` is reading a found object's body (ObjectBody.bytes). */
export type StoreOperation = "head" | "getIfMatch" | "put" | "copy" | "read";

export interface StoreCall {
  op: StoreOperation | "discard";
  bucket: string;
  key: string;
}

export interface FailureSpec {
  op: StoreOperation;
  bucket?: string;
  keyPrefix?: string;
  /** How many matching calls fail; every one if omitted. */
  times?: number;
}

interface StoredObject extends ObjectHead {
  body: Buffer;
}

/** An error shaped as the S3 SDK throws it: name = S3's code, the HTTP status in $metadata. */
export function s3Error(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/** S3 unavailable (503): a fault of the storage, which the cores must answer as ServiceUnavailable. */
export const storageUnavailable = (): Error => s3Error("ServiceUnavailable", 503, "Service Unavailable");

/** Access denied (403): neither missing nor a fault of the storage. */
export const accessDenied = (): Error => s3Error("AccessDenied", 403, "Access Denied");

export class MemoryObjectStore implements ObjectStore {
  /** Every call, oldest first. */
  readonly calls: StoreCall[] = [];
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private failures: { spec: FailureSpec; error: unknown; hits: number }[] = [];

  /** `ignoreIfMatch`: answers every read as if unpinned, as a store without conditional reads would. */
  constructor(
    bucketNames: readonly string[],
    private readonly options: { ignoreIfMatch?: boolean } = {},
  ) {
    for (const name of bucketNames) this.buckets.set(name, new Map());
  }

  /** Matching calls throw `error` instead of touching the store. */
  fail(spec: FailureSpec, error: unknown): void {
    this.failures.push({ spec, error, hits: 0 });
  }

  /** The stored object, for assertions (a copy: changing it changes nothing stored). */
  object(bucket: string, key: string): (ObjectHead & { body: Buffer }) | undefined {
    const found = this.bucket(bucket).get(key);
    return found && { ...found, metadata: { ...found.metadata }, body: Buffer.from(found.body) };
  }

  /** Keys in a bucket under a prefix, sorted. */
  keys(bucket: string, prefix = ""): string[] {
    return [...this.bucket(bucket).keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  /** S3's DeleteObject, for tests (no core deletes): done whether or not the key held anything. */
  delete(bucket: string, key: string): void {
    this.bucket(bucket).delete(key);
  }

  callsOf(op: StoreCall["op"]): StoreCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  async head(bucket: string, key: string): Promise<ObjectHead | undefined> {
    this.enter("head", bucket, key);
    const found = this.bucket(bucket).get(key);
    return found && headOf(found);
  }

  async getIfMatch(bucket: string, key: string, etag: string): Promise<PinnedRead> {
    this.enter("getIfMatch", bucket, key);
    const found = this.bucket(bucket).get(key);
    if (!found) return { status: "missing" };
    if (found.etag !== etag && !this.options.ignoreIfMatch) return { status: "changed" };
    return {
      status: "found",
      head: headOf(found),
      body: {
        bytes: async () => {
          this.enter("read", bucket, key);
          return Buffer.from(found.body);
        },
        discard: () => void this.calls.push({ op: "discard", bucket, key }),
      },
    };
  }

  async put(bucket: string, key: string, body: Buffer, options: PutOptions): Promise<void> {
    this.enter("put", bucket, key);
    this.bucket(bucket).set(key, {
      etag: createHash("md5").update(body).digest("hex"),
      size: body.length,
      contentType: options.contentType,
      cacheControl: options.cacheControl,
      // S3 keeps user metadata names lower-case.
      metadata: Object.fromEntries(Object.entries(options.metadata).map(([k, v]) => [k.toLowerCase(), v])),
      body: Buffer.from(body),
    });
  }

  async copy(bucket: string, fromKey: string, toKey: string): Promise<void> {
    this.enter("copy", bucket, toKey);
    const objects = this.bucket(bucket);
    const source = objects.get(fromKey);
    if (!source) throw s3Error("NoSuchKey", 404, "The specified key does not exist.");
    objects.set(toKey, { ...source, metadata: { ...source.metadata }, body: Buffer.from(source.body) });
  }

  /** Records the call, then throws the first matching failure still armed. */
  private enter(op: StoreOperation, bucket: string, key: string): void {
    this.calls.push({ op, bucket, key });
    const failure = this.failures.find(
      ({ spec }) =>
        spec.op === op &&
        (spec.bucket === undefined || spec.bucket === bucket) &&
        (spec.keyPrefix === undefined || key.startsWith(spec.keyPrefix)),
    );
    if (!failure) return;
    failure.hits += 1;
    if (failure.spec.times !== undefined && failure.hits >= failure.spec.times) {
      this.failures = this.failures.filter((f) => f !== failure);
    }
    throw failure.error;
  }

  private bucket(name: string): Map<string, StoredObject> {
    const objects = this.buckets.get(name);
    // A bucket the config names but the store lacks is a deployment bug, never a missing key.
    if (!objects) throw s3Error("NoSuchBucket", 404, `The specified bucket ${name} does not exist.`);
    return objects;
  }
}

const headOf = ({ body: _body, metadata, ...head }: StoredObject): ObjectHead => ({
  ...head,
  metadata: { ...metadata },
});
