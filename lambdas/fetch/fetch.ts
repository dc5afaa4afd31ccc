/**
 * Fetch: pins the source to the ETag seen now (later reads must match it) and looks for a stored
 * thumbnail of exactly that version, size, format, fit and position. Metadata only (the placeholder is
 * read from the stored thumbnail's user metadata): image bytes never enter the state.
 */
import { ImageNotFound, ImageTooLarge } from "../shared/errors";
import { thumbnailKey } from "../shared/keys";
import type { ObjectHead, ObjectStore } from "../shared/object-store";
import { rethrowStorageError } from "../shared/storage-errors";
import { findStoredThumbnail } from "../shared/thumbnail-store";
import type { FetchedSource, ServiceConfig, ValidatedRequest } from "../shared/types";

export interface FetchDeps {
  config: ServiceConfig;
  store: ObjectStore;
}

export async function fetchSource(input: ValidatedRequest, { config, store }: FetchDeps): Promise<FetchedSource> {
  let head: ObjectHead | undefined;
  try {
    head = await store.head(config.sourceBucket, input.sourceKey);
  } catch (err) {
    rethrowStorageError(err, "reading the upload");
  }
  if (!head) throw ImageNotFound.noUpload(input.imageName);
  const sourceBytes = head.size;
  if (sourceBytes > config.maxUploadBytes) {
    throw ImageTooLarge.upload(sourceBytes, config.maxUploadBytes);
  }
  const etag = head.etag;
  const key = thumbnailKey(input.imageName, etag, input.res, input.format, input.fit, input.position);
  const stored = await findStoredThumbnail(store, config.thumbnailBucket, key);
  return {
    ...input,
    etag,
    sourceBytes,
    thumbnailKey: key,
    cached: stored !== undefined,
    ...(stored ? { thumbnail: stored } : {}),
  };
}
