/**
 * The part of s3rver 3.7 the gate uses beyond its public API. @types/s3rver (DefinitelyTyped) types
 * the public API (constructor options, run, close) and leaves these out; they cannot be added by
 * module augmentation, because the package is typed as `export = class S3rver` and a class's instance
 * type can only be merged with from its own scope. So they are read here, through checks that also
 * fail loudly should an s3rver upgrade move them.
 */
import type S3rver from "s3rver";

/**
 * lib/stores/filesystem.js: what s3rver's controllers read and write through. Metadata has lower-case
 * header names: content-type, cache-control, x-amz-meta-*, etag (quoted), last-modified, content-length.
 */
export interface FilesystemStore {
  /** null when there is no such bucket. */
  getBucket(bucket: string): Promise<object | null>;
  /** Rejects with an ENOENT error when there is no such object. */
  getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
  /** The file holding `resource` ("object", "metadata.json", "object.md5") of a key. */
  getResourcePath(bucket: string, key: string, resource: string): string;
}

const STORE_METHODS = ["getBucket", "getMetadata", "getResourcePath"] as const;

function isFilesystemStore(value: unknown): value is FilesystemStore {
  return (
    typeof value === "object" &&
    value !== null &&
    STORE_METHODS.every((name) => typeof Reflect.get(value, name) === "function")
  );
}

/** The store behind `server` (its `store` property). */
export function storeOf(server: S3rver): FilesystemStore {
  const store: unknown = Reflect.get(server, "store");
  if (!isFilesystemStore(store)) throw new Error("s3rver has no filesystem store: not the 3.7 layout the gate reads");
  return store;
}

/**
 * s3rver runs koa-logger on every request even when silent: it formats a line nobody prints and wraps
 * each response body in a counting stream. Measured on proxied PutObjects (the gate's own fast paths
 * skip s3rver altogether), taking it out saved 0.5-2 ms of 4-7 ms per request. It is the middleware
 * the constructor adds first; koa composes the list when run() starts listening, so removing it
 * before that takes it out of the chain.
 */
export function dropRequestLogger(server: S3rver): void {
  const middleware: unknown = Reflect.get(server, "middleware");
  if (!Array.isArray(middleware)) throw new Error("s3rver has no middleware list: not the 3.7 layout the gate patches");
  const index = middleware.findIndex((fn: unknown) => typeof fn === "function" && fn.name === "logger");
  if (index !== -1) middleware.splice(index, 1);
}
