/**
 * StorePublic: publishes the staged thumbnail to thumbnails/ by a server-side copy. Keys are
 * immutable per source version and the output is deterministic, so when a concurrent identical
 * request published first, this one is already done.
 */
import { InternalError } from "../shared/errors";
import type { ObjectStore } from "../shared/object-store";
import { rethrowStorageError } from "../shared/storage-errors";
import { findStoredThumbnail } from "../shared/thumbnail-store";
import type { ServiceConfig, ThumbnailReady } from "../shared/types";

export interface StorePublicDeps {
  config: ServiceConfig;
  store: ObjectStore;
}

export async function storePublic(input: ThumbnailReady, { config, store }: StorePublicDeps): Promise<ThumbnailReady> {
  if (await findStoredThumbnail(store, config.thumbnailBucket, input.thumbnailKey)) return input;
  if (!input.stagingKey) throw new InternalError("StorePublic reached without a staged thumbnail");
  try {
    // Content-Type, Cache-Control and the width/height metadata come from the staged object.
    await store.copy(config.thumbnailBucket, input.stagingKey, input.thumbnailKey);
  } catch (err) {
    rethrowStorageError(err, "publishing the thumbnail");
  }
  return input;
}
