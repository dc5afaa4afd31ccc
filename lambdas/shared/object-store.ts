/**
 * What the Task cores need of object storage, and nothing more: S3's semantics without its SDK, so a
 * core runs against S3 in its Lambda (s3-object-store.ts) and against memory in the unit tests.
 *
 * The semantics the cores rely on, as S3 has them:
 * - a key that holds no object is an answer (`undefined`, "missing"), not a failure. Any other failure
 *   is thrown as the store's own error, and the cores map it with storage-errors.ts: a fault of the
 *   store is ServiceUnavailable (retried), never ImageNotFound;
 * - an ETag is bare and lower-case (keys.ts `normalizeEtag`) and changes whenever the object is replaced;
 * - a read pinned to an ETag (S3's If-Match) answers "changed" when the object has another one now;
 * - Content-Type, Cache-Control and user metadata are stored with the object, and a copy keeps them.
 */

export interface ObjectHead {
  /** Bare, lower-case: the form keys and comparisons use. */
  etag: string;
  /** Content-Length in bytes. */
  size: number;
  contentType?: string;
  cacheControl?: string;
  /** User metadata (S3's x-amz-meta-*), names lower-case. */
  metadata: Record<string, string>;
}

/** A body not read yet: a core can refuse it (too large, wrong version) without downloading it. */
export interface ObjectBody {
  bytes(): Promise<Buffer>;
  /** Lets go of a body that will not be read (S3: closes the response stream). */
  discard(): void;
}

export type PinnedRead =
  | { status: "found"; head: ObjectHead; body: ObjectBody }
  /** No object has the key. */
  | { status: "missing" }
  /** The object's ETag is no longer the pinned one (S3: 412 PreconditionFailed). */
  | { status: "changed" };

export interface PutOptions {
  contentType: string;
  cacheControl: string;
  metadata: Record<string, string>;
}

export interface ObjectStore {
  /** The object's head, or undefined when no object has the key. */
  head(bucket: string, key: string): Promise<ObjectHead | undefined>;
  /** The object, only if its ETag is still `etag`. */
  getIfMatch(bucket: string, key: string, etag: string): Promise<PinnedRead>;
  put(bucket: string, key: string, body: Buffer, options: PutOptions): Promise<void>;
  /** A copy within the bucket, with the source's content type, cache control and metadata. */
  copy(bucket: string, fromKey: string, toKey: string): Promise<void>;
}
