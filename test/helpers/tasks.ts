/**
 * The Task cores in memory: a config, a MemoryObjectStore holding its two buckets, uploads put where
 * the presigned POST puts them, and requests as Validate hands them on. No server, no S3.
 */
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { parseConfig } from "../../lambdas/shared/config";
import { ServiceError } from "../../lambdas/shared/errors";
import type { ServiceConfig, ThumbnailRequest, ValidatedRequest } from "../../lambdas/shared/types";
import { validateRequest } from "../../lambdas/validate/validate";
import { MemoryObjectStore } from "./memory-object-store";

export interface TaskWorld {
  config: ServiceConfig;
  store: MemoryObjectStore;
  /**
   * Puts bytes under a fresh imageName's upload key, as the browser's POST would; returns the name and
   * its ETag. Setting up is not the code under test: these calls are left out of `store.calls`.
   */
  upload(body: Buffer, ext?: string): Promise<{ imageName: string; etag: string }>;
  /** Validate's output for `imageName` (256x256 JPEG, fit inside unless overridden). */
  request(imageName: string, overrides?: Partial<ThumbnailRequest>): ValidatedRequest;
}

export function taskWorld(env: Record<string, string> = {}, storeOptions: { ignoreIfMatch?: boolean } = {}): TaskWorld {
  const config = parseConfig({
    SOURCE_BUCKET: "uploads-bucket",
    THUMBNAIL_BUCKET: "thumbnails-bucket",
    PUBLIC_BASE_URL: "https://thumbs.example",
    ...env,
  });
  const store = new MemoryObjectStore([config.sourceBucket, config.thumbnailBucket], storeOptions);
  const request = (imageName: string, overrides: Partial<ThumbnailRequest> = {}): ValidatedRequest =>
    validateRequest(
      { requestId: `req-${randomUUID()}`, imageName, res: "256x256", format: "jpeg", ...overrides },
      config,
    );
  return {
    config,
    store,
    async upload(body, ext = "jpg") {
      const imageName = `${randomUUID()}.${ext}`;
      const { sourceKey } = request(imageName);
      const recorded = store.calls.length;
      await store.put(config.sourceBucket, sourceKey, body, {
        contentType: "image/jpeg",
        cacheControl: "no-cache",
        metadata: {},
      });
      const head = await store.head(config.sourceBucket, sourceKey);
      assert.ok(head);
      store.calls.splice(recorded);
      return { imageName, etag: head.etag };
    },
    request,
  };
}

/** Awaits a rejection with the contract's error `code`, and returns it. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<ServiceError> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected ${code}`),
    (err: unknown) => {
      caught = err;
    },
  );
  assert.ok(caught instanceof ServiceError, `not a ServiceError: ${String(caught)}`);
  assert.equal(caught.name, code, caught.message);
  return caught;
}
