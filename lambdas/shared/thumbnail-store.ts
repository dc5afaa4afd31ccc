import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isPlaceholder } from "./placeholder";
import { isNotFound, rethrowStorageError } from "./storage-errors";
import type { ThumbnailInfo } from "./types";

/**
 * A published thumbnail, or undefined. Thumbnails carry their dimensions and placeholder as user
 * metadata (resize.ts), so a cache hit answers from this HEAD alone, decoding nothing.
 */
export async function findStoredThumbnail(s3: S3Client, bucket: string, key: string): Promise<ThumbnailInfo | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const width = Number(head.Metadata?.["width"]);
    const height = Number(head.Metadata?.["height"]);
    const placeholder = head.Metadata?.["placeholder"];
    // An object without our metadata was not published by us: treat it as absent and remake it. That
    // includes thumbnails published before placeholders existed: remade once (the same bytes, as the
    // output is deterministic) and republished with one by StorePublic's copy.
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return undefined;
    if (!isPlaceholder(placeholder)) return undefined;
    return { width, height, bytes: head.ContentLength ?? 0, placeholder };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    rethrowStorageError(err, "looking for a stored thumbnail");
  }
}
