/**
 * A real local S3 (s3rver behind our gate) in a temp directory, with the service's config pointing
 * at it: what the handler tests run against.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { parseConfig } from "../../lambdas/shared/config";
import { createS3Client } from "../../lambdas/shared/s3-client";
import type { ServiceConfig } from "../../lambdas/shared/types";
import { startLocalS3, type LocalS3 } from "../../local/s3";
import { LOCAL_BUCKETS, LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/service";

export interface Storage {
  s3: S3Client;
  config: ServiceConfig;
  local: LocalS3;
  dataDir: string;
  put(key: string, body: Buffer, contentType?: string): Promise<string>;
  get(bucket: string, key: string): Promise<Buffer>;
  exists(bucket: string, key: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function startStorage(env: Record<string, string> = {}): Promise<Storage> {
  const dataDir = await mkdtemp(join(tmpdir(), "thumb-s3-"));
  const local = await startLocalS3({
    port: 0,
    dataDir,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    buckets: [LOCAL_BUCKETS.source, LOCAL_BUCKETS.thumbnails],
    publicRead: [{ bucket: LOCAL_BUCKETS.thumbnails, prefix: "thumbnails/" }],
    cors: [{ bucket: LOCAL_BUCKETS.source, allowedOrigins: ["*"] }],
  });
  const config = parseConfig({
    SOURCE_BUCKET: LOCAL_BUCKETS.source,
    THUMBNAIL_BUCKET: LOCAL_BUCKETS.thumbnails,
    PUBLIC_BASE_URL: `${local.endpoint}/${LOCAL_BUCKETS.thumbnails}`,
    S3_ENDPOINT: local.endpoint,
    AWS_REGION: LOCAL_REGION,
    ...env,
  });
  const s3 = createS3Client(config, LOCAL_CREDENTIALS);
  return {
    s3,
    config,
    local,
    dataDir,
    async put(key, body, contentType = "image/jpeg") {
      const out = await s3.send(
        new PutObjectCommand({ Bucket: config.sourceBucket, Key: key, Body: body, ContentType: contentType }),
      );
      return (out.ETag ?? "").replace(/"/g, "");
    },
    async get(bucket, key) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await (out.Body?.transformToByteArray() ?? new Uint8Array()));
    },
    async exists(bucket, key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (err) {
        if (err instanceof Error && err.name === "NotFound") return false;
        throw err;
      }
    },
    async close() {
      s3.destroy();
      await local.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh, well-formed image name as /uploadURL would issue it. */
export const imageNameFor = (ext = "jpg"): string => `${crypto.randomUUID()}.${ext}`;
