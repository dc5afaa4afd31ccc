/**
 * GET /uploadURL: a presigned POST that lets the browser put exactly one object, at a key we chose,
 * of an allowed size and type, within a few minutes, and nothing else.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { ValidationError } from "../shared/errors";
import { newImageName, sourceKey } from "../shared/keys";
import type { ServiceConfig, UploadContentType, UploadQuery } from "../shared/types";

/** One entry of a POST policy's conditions, as the presigner types it. */
type Condition = NonNullable<Parameters<typeof createPresignedPost>[1]["Conditions"]>[number];

export interface UploadTicket {
  url: string;
  fields: Record<string, string>;
  imageName: string;
  expiresAt: string;
  maxUploadBytes: number;
}

export interface PresignDeps {
  config: ServiceConfig;
  s3: S3Client;
  now?: () => number;
}

export function uploadConditions(contentType: UploadContentType | undefined, maxUploadBytes: number): Condition[] {
  return [
    // At least one byte: an empty upload is never an image.
    ["content-length-range", 1, maxUploadBytes],
    // Exact when the client named its type; otherwise any image/* (the bytes are checked later anyway).
    contentType ? ["eq", "$Content-Type", contentType] : ["starts-with", "$Content-Type", "image/"],
  ];
}

/** `owner` (lambdas/shared/owner.ts) puts the key under the caller's segment; the imageName stays the same shape. */
export async function createUpload(
  query: UploadQuery,
  { config, s3, now = Date.now }: PresignDeps,
  owner?: string,
): Promise<UploadTicket> {
  const contentType = query.contentType;
  if (contentType !== undefined && !config.uploadContentTypes.includes(contentType)) {
    throw new ValidationError(
      `contentType '${contentType}' is not accepted; allowed: ${config.uploadContentTypes.join(", ")}`,
    );
  }
  const imageName = newImageName(contentType);
  const issuedAt = now();
  // createPresignedPost adds the exact {key}, {bucket} and X-Amz-* conditions itself.
  const post = await createPresignedPost(s3, {
    Bucket: config.sourceBucket,
    Key: sourceKey(imageName, owner),
    Conditions: uploadConditions(contentType, config.maxUploadBytes),
    Fields: contentType ? { "Content-Type": contentType } : {},
    Expires: config.uploadExpirySeconds,
  });
  return {
    url: post.url,
    fields: post.fields,
    imageName,
    expiresAt: new Date(issuedAt + config.uploadExpirySeconds * 1000).toISOString(),
    maxUploadBytes: config.maxUploadBytes,
  };
}
