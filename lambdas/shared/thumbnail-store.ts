import type { ObjectHead, ObjectStore } from "./object-store";
import { isPlaceholder } from "./placeholder";
import { rethrowStorageError } from "./storage-errors";
import type { ThumbnailInfo } from "./types";

/**
 * A published thumbnail, or undefined. Thumbnails carry their dimensions and placeholder as user
 * metadata (resize.ts), so a cache hit answers from this HEAD alone, decoding nothing.
 */
export async function findStoredThumbnail(
  store: ObjectStore,
  bucket: string,
  key: string,
): Promise<ThumbnailInfo | undefined> {
  let head: ObjectHead | undefined;
  try {
    head = await store.head(bucket, key);
  } catch (err) {
    rethrowStorageError(err, "looking for a stored thumbnail");
  }
  if (!head) return undefined;
  const width = Number(head.metadata["width"]);
  const height = Number(head.metadata["height"]);
  const placeholder = head.metadata["placeholder"];
  // An object without our metadata was not published by us: treat it as absent and remake it. That
  // includes thumbnails published before placeholders existed: remade once (the same bytes, as the
  // output is deterministic) and republished with one by StorePublic's copy.
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return undefined;
  if (!isPlaceholder(placeholder)) return undefined;
  return { width, height, bytes: head.size, placeholder };
}
