/**
 * Fetch: pins the source to the ETag seen now (later reads must match it) and looks for a stored
 * thumbnail of exactly that version, size, format, fit and position. Metadata only (the placeholder is
 * read from the stored thumbnail's user metadata): image bytes never enter the state.
 */
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ImageNotFound, ImageTooLarge } from "../shared/errors";
import { normalizeEtag, thumbnailKey } from "../shared/keys";
import { isNotFound, rethrowStorageError } from "../shared/storage-errors";
import { findStoredThumbnail } from "../shared/thumbnail-store";
import type { FetchedSource, ServiceConfig, ValidatedRequest } from "../shared/types";

export interface FetchDeps {
  config: ServiceConfig;
  s3: S3Client;
}

export async function fetchSource(input: ValidatedRequest, { config, s3 }: FetchDeps): Promise<FetchedSource> {
  let head;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: config.sourceBucket, Key: input.sourceKey }));
  } catch (err) {
    if (isNotFound(err)) throw ImageNotFound.noUpload(input.imageName, { cause: err });
    rethrowStorageError(err, "reading the upload");
  }
  const sourceBytes = head.ContentLength ?? 0;
  if (sourceBytes > config.maxUploadBytes) {
    throw ImageTooLarge.upload(sourceBytes, config.maxUploadBytes);
  }
  const etag = normalizeEtag(head.ETag);
  const key = thumbnailKey(input.imageName, etag, input.res, input.format, input.fit, input.position);
  const stored = await findStoredThumbnail(s3, config.thumbnailBucket, key);
  return {
    ...input,
    etag,
    sourceBytes,
    thumbnailKey: key,
    cached: stored !== undefined,
    ...(stored ? { thumbnail: stored } : {}),
  };
}
