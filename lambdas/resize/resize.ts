/**
 * Resize: reads the source pinned to Fetch's ETag, makes the thumbnail (image.ts) and writes it
 * under the private staging/ prefix, its placeholder in the object's user metadata. Publishing is
 * StorePublic's job, so a failure here can never leave a half-made public object.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ImageNotFound, ImageTooLarge, InternalError, ServiceError, SourceChanged } from "../shared/errors";
import { contentTypeOf } from "../shared/image-formats";
import { IMMUTABLE_CACHE_CONTROL, normalizeEtag, stagingKey } from "../shared/keys";
import { isNotFound, isPreconditionFailed, rethrowStorageError } from "../shared/storage-errors";
import type { FetchedSource, ServiceConfig, ThumbnailReady } from "../shared/types";
import { makeThumbnail } from "./image";

export interface ResizeDeps {
  config: ServiceConfig;
  s3: S3Client;
}

export async function readPinnedSource(input: FetchedSource, { config, s3 }: ResizeDeps): Promise<Buffer> {
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: config.sourceBucket, Key: input.sourceKey, IfMatch: `"${input.etag}"` }),
    );
    // Belt and braces: a store that ignored If-Match must still not mix versions.
    if (normalizeEtag(object.ETag) !== input.etag) {
      object.Body?.transformToWebStream().cancel().catch(() => undefined);
      throw SourceChanged.replaced(input.imageName);
    }
    if ((object.ContentLength ?? 0) > config.maxUploadBytes) {
      object.Body?.transformToWebStream().cancel().catch(() => undefined);
      throw ImageTooLarge.upload(object.ContentLength ?? 0, config.maxUploadBytes);
    }
    if (!object.Body) throw new InternalError("GetObject returned no body");
    // A view of the SDK's fresh array, not a copy: one more 4 MB allocation per request was enough
    // to push V8 into a full GC per request with two in flight (bench/README.md, "throughput").
    const bytes = await object.Body.transformToByteArray();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    // Ours, thrown above; S3 also names an error InternalError, which must not be mistaken for this one.
    if (err instanceof ServiceError) throw err;
    if (isPreconditionFailed(err)) {
      throw SourceChanged.replaced(input.imageName, { cause: err });
    }
    if (isNotFound(err)) throw ImageNotFound.deleted(input.imageName, { cause: err });
    rethrowStorageError(err, "reading the upload");
  }
}

export async function resizeSource(input: FetchedSource, deps: ResizeDeps): Promise<ThumbnailReady> {
  const { config, s3 } = deps;
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
    await s3.send(
      new PutObjectCommand({
        Bucket: config.thumbnailBucket,
        Key: key,
        Body: thumb.data,
        ContentType: contentTypeOf(thumb.format),
        // Set here so the server-side copy to thumbnails/ carries them unchanged. The placeholder
        // (<= 1 KB) rides along so that a cache hit (Fetch's HEAD) has it without decoding anything;
        // with the rest it stays well inside S3's 2 KB of user metadata.
        CacheControl: IMMUTABLE_CACHE_CONTROL,
        Metadata: {
          width: String(thumb.width),
          height: String(thumb.height),
          "source-etag": input.etag,
          placeholder: thumb.placeholder,
        },
      }),
    );
  } catch (err) {
    rethrowStorageError(err, "writing the thumbnail");
  }
  return {
    ...input,
    stagingKey: key,
    thumbnail: { width: thumb.width, height: thumb.height, bytes: thumb.data.length, placeholder: thumb.placeholder },
  };
}
