/**
 * The local service as the bench drives it: started in a temp dir, one seed object per input, and
 * fresh copies of a seed under new image names (server-side copies, outside every timed region), so
 * each cache-miss sample makes its thumbnail from scratch on the same bytes.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CopyObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "../lambdas/shared/s3-client";
import { startLocalService, type IsolationOptions, type LocalService } from "../local/service";
import type { BenchInput } from "./inputs";

export interface ThumbnailAnswer {
  ms: number;
  requestId: string;
  cached: boolean;
  width: number;
  height: number;
}

export interface BenchService {
  service: LocalService;
  /** A client of our own for seeding and copies (the service's handlers have theirs). */
  s3: S3Client;
  /** Uploads the input once; later copies are made from it. */
  seed(input: BenchInput): Promise<void>;
  /** A new image name holding the input's bytes. */
  freshCopy(input: BenchInput): Promise<string>;
  /** GET /thumbnail, timed from the request to the last byte of the answer; throws unless 200. */
  thumbnail(imageName: string, res: string, format: string): Promise<ThumbnailAnswer>;
  close(): Promise<void>;
}

const seedKey = (input: BenchInput): string => `bench-seeds/${input.name}.${input.ext}`;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** `isolation`: every function in its own environments at its CPU share (bench/lambda/). */
export async function startBenchService(options: { isolation?: IsolationOptions } = {}): Promise<BenchService> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "thumb-bench-"));
  const service = await startLocalService({
    port: 0,
    s3Port: 0,
    sfnPort: 0,
    dataDir,
    ...(options.isolation ? { isolation: options.isolation } : {}),
  });
  const s3 = createS3Client(service.config, service.credentials);
  const bucket = service.config.sourceBucket;
  return {
    service,
    s3,
    async seed(input) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: seedKey(input),
          Body: input.bytes,
          ContentType: input.contentType,
        }),
      );
    },
    async freshCopy(input) {
      const imageName = `${randomUUID()}.${input.ext}`;
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: `uploads/${imageName}`,
          CopySource: `${bucket}/${seedKey(input)}`,
          MetadataDirective: "COPY",
        }),
      );
      return imageName;
    },
    async thumbnail(imageName, res, format) {
      const url = `${service.appUrl}/thumbnail?imageName=${encodeURIComponent(imageName)}&res=${res}&format=${format}`;
      const started = performance.now();
      const response = await fetch(url);
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET /thumbnail answered ${response.status}: ${text}`);
      const body: unknown = JSON.parse(text);
      if (
        !isRecord(body) ||
        typeof body["cached"] !== "boolean" ||
        typeof body["width"] !== "number" ||
        typeof body["height"] !== "number"
      ) {
        throw new Error(`GET /thumbnail answered an unexpected body: ${text}`);
      }
      return {
        ms,
        requestId: response.headers.get("x-request-id") ?? "",
        cached: body["cached"],
        width: body["width"],
        height: body["height"],
      };
    },
    async close() {
      s3.destroy();
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
