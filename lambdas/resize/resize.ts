/**
 * Resize: reads the source pinned to Fetch's ETag, makes the thumbnail (image.ts) and writes it
 * under the private staging/ prefix, its placeholder in the object's user metadata. Publishing is
 * StorePublic's job, so a failure here can never leave a half-made public object.
 */
import { ImageNotFound, ImageTooLarge, SourceChanged } from "../shared/errors";
import { contentTypeOf } from "../shared/image-formats";
import { IMMUTABLE_CACHE_CONTROL, stagingKey } from "../shared/keys";
import type { ObjectStore, PinnedRead } from "../shared/object-store";
import { rethrowStorageError } from "../shared/storage-errors";
import type { FetchedSource, ServiceConfig, ThumbnailReady } from "../shared/types";
import { makeThumbnail } from "./image";

export interface ResizeDeps {
  config: ServiceConfig;
  store: ObjectStore;
}

export async function readPinnedSource(input: FetchedSource, { config, store }: ResizeDeps): Promise<Buffer> {
  let read: PinnedRead;
  try {
    read = await store.getIfMatch(config.sourceBucket, input.sourceKey, input.etag);
  } catch (err) {
    rethrowStorageError(err, "reading the upload");
  }
  if (read.status === "missing") throw ImageNotFound.deleted(input.imageName);
  if (read.status === "changed") throw SourceChanged.replaced(input.imageName);
  // Belt and braces: a store that ignored If-Match must still not mix versions.
  if (read.head.etag !== input.etag) {
    read.body.discard();
    throw SourceChanged.replaced(input.imageName);
  }
  if (read.head.size > config.maxUploadBytes) {
    read.body.discard();
    throw ImageTooLarge.upload(read.head.size, config.maxUploadBytes);
  }
  try {
    return await read.body.bytes();
  } catch (err) {
    rethrowStorageError(err, "reading the upload");
  }
}

export async function resizeSource(input: FetchedSource, deps: ResizeDeps): Promise<ThumbnailReady> {
  const { config, store } = deps;
  const source = await readPinnedSource(input, deps);
  const thumb = await makeThumbnail(source, {
    width: input.width,
    height: input.height,
    format: input.format,
    fit: input.fit,
    ...(input.position ? { position: input.position } : {}),
    maxInputPixels: config.maxInputPixels,
    timeoutSeconds: config.processingTimeoutSeconds,
  });
  const key = stagingKey(input.requestId, input.thumbnailKey);
  try {
    // Set here so the server-side copy to thumbnails/ carries them unchanged. The placeholder
    // (<= 1 KB) rides along so that a cache hit (Fetch's HEAD) has it without decoding anything;
    // with the rest it stays well inside S3's 2 KB of user metadata.
    await store.put(config.thumbnailBucket, key, thumb.data, {
      contentType: contentTypeOf(thumb.format),
      cacheControl: IMMUTABLE_CACHE_CONTROL,
      metadata: {
        width: String(thumb.width),
        height: String(thumb.height),
        "source-etag": input.etag,
        placeholder: thumb.placeholder,
      },
    });
  } catch (err) {
    rethrowStorageError(err, "writing the thumbnail");
  }
  return {
    ...input,
    stagingKey: key,
    thumbnail: { width: thumb.width, height: thumb.height, bytes: thumb.data.length, placeholder: thumb.placeholder },
  };
}
