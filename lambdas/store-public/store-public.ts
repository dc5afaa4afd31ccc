/**
 * StorePublic: publishes the staged thumbnail to thumbnails/ by a server-side copy. Keys are
 * immutable per source version and the output is deterministic, so when a concurrent identical
 * request published first, this one is already done.
 */
import { CopyObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { InternalError } from "../shared/errors";
import { rethrowStorageError } from "../shared/storage-errors";
import { findStoredThumbnail } from "../shared/thumbnail-store";
import type { ServiceConfig, ThumbnailReady } from "../shared/types";

export interface StorePublicDeps {
  config: ServiceConfig;
  s3: S3Client;
}

export async function storePublic(input: ThumbnailReady, { config, s3 }: StorePublicDeps): Promise<ThumbnailReady> {
  if (await findStoredThumbnail(s3, config.thumbnailBucket, input.thumbnailKey)) return input;
  if (!input.stagingKey) throw new InternalError("StorePublic reached without a staged thumbnail");
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: config.thumbnailBucket,
        Key: input.thumbnailKey,
        CopySource: `${config.thumbnailBucket}/${input.stagingKey}`,
        // Content-Type, Cache-Control and the width/height metadata come from the staged object.
        MetadataDirective: "COPY",
      }),
    );
  } catch (err) {
    rethrowStorageError(err, "publishing the thumbnail");
  }
  return input;
}
