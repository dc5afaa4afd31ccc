import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isNotFound, rethrowStorageError } from "./storage-errors";
import type { ThumbnailInfo } from "./types";

/** A published thumbnail, or undefined. Thumbnails carry their dimensions as user metadata (resize.ts). */
export async function findStoredThumbnail(s3: S3Client, bucket: string, key: string): Promise<ThumbnailInfo | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const width = Number(head.Metadata?.["width"]);
    const height = Number(head.Metadata?.["height"]);
    // An object without our metadata was not published by us: treat it as absent and remake it.
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return undefined;
    return { width, height, bytes: head.ContentLength ?? 0 };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    rethrowStorageError(err, "looking for a stored thumbnail");
  }
}
