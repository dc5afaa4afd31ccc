/**
 * The local S3's own cost, per operation: through the gate with the handlers' S3 client (what the
 * workflow pays) against raw s3rver (local/s3/backend.ts, the same s3rver setup the gate forwards
 * to, reached over plain keep-alive HTTP with no SDK, no signature and no gate). Interleaved like
 * the latency phase. The difference is ours (SDK + gate); the raw figure is s3rver's floor.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "../lambdas/shared/s3-client";
import { CONTENT_TYPE_OF_FORMAT, IMMUTABLE_CACHE_CONTROL } from "../lambdas/shared/keys";
import { Backend } from "../local/s3/backend";
import type { BenchService } from "./service";
import { recordOf, summarize, type Summary } from "./stats";

export const STORAGE_OPS = ["headFound", "headMissing", "getSource", "putThumbnail", "copyThumbnail"] as const;
export type StorageOp = (typeof STORAGE_OPS)[number];

export const STORAGE_OP_LABELS: Record<StorageOp, string> = {
  headFound: "HEAD source (found)",
  headMissing: "HEAD thumbnail (missing)",
  getSource: "GET source",
  putThumbnail: "PUT thumbnail",
  copyThumbnail: "COPY thumbnail",
};

/**
 * What a cache miss (c) asks of storage beyond what the one-Lambda path (b) does: Fetch's two HEADs, StorePublic's HEAD
 * and COPY.
 */
export const WORKFLOW_EXTRA_OPS: readonly StorageOp[] = ["headFound", "headMissing", "headMissing", "copyThumbnail"];

export interface StorageResult {
  sourceBytes: number;
  thumbnailBytes: number;
  gated: Record<StorageOp, Summary>;
  raw: Record<StorageOp, Summary>;
  /** Sum of p50s of WORKFLOW_EXTRA_OPS. */
  extraOpsGatedMs: number;
  extraOpsRawMs: number;
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of stream) {
    // the bytes themselves are not needed, only the time to receive them
  }
}

export async function measureStorage(
  bench: BenchService,
  source: Buffer,
  thumbnail: Buffer,
  ops: number,
): Promise<StorageResult> {
  const config = bench.service.config;
  const s3 = createS3Client(config, bench.service.credentials);
  const rawDir = await mkdtemp(path.join(tmpdir(), "thumb-bench-s3rver-"));
  const raw = await Backend.start(rawDir, [config.sourceBucket, config.thumbnailBucket]);
  const src = config.sourceBucket;
  const thumbs = config.thumbnailBucket;
  const type = CONTENT_TYPE_OF_FORMAT.jpeg;
  const rawCall = async (
    method: string,
    p: string,
    headers: Record<string, string> = {},
    body?: Buffer,
  ): Promise<void> => {
    const res = await raw.request({
      method,
      path: p,
      headers: body ? { ...headers, "content-length": String(body.length) } : headers,
      ...(body ? { body: Readable.from([body]) } : {}),
    });
    await drain(res);
    if ((res.statusCode ?? 500) >= 500) throw new Error(`raw s3rver ${method} ${p}: ${res.statusCode}`);
  };
  const putHeaders = {
    "content-type": type,
    "cache-control": IMMUTABLE_CACHE_CONTROL,
    "x-amz-meta-width": "256",
    "x-amz-meta-height": "192",
  };
  const samples = { gated: recordOf(STORAGE_OPS, (): number[] => []), raw: recordOf(STORAGE_OPS, (): number[] => []) };
  try {
    await s3.send(
      new PutObjectCommand({ Bucket: src, Key: "bench-storage/source.jpg", Body: source, ContentType: type }),
    );
    await rawCall("PUT", `/${src}/bench-storage/source.jpg`, { "content-type": type }, source);
    const missingHead = async (send: () => Promise<unknown>): Promise<void> => {
      await send().catch((err: unknown) => {
        if (!(err instanceof Error && err.name === "NotFound")) throw err;
      });
    };
    const gatedOps: Record<StorageOp, (i: number) => Promise<void>> = {
      headFound: async () =>
        void (await s3.send(new HeadObjectCommand({ Bucket: src, Key: "bench-storage/source.jpg" }))),
      headMissing: (i) =>
        missingHead(() => s3.send(new HeadObjectCommand({ Bucket: thumbs, Key: `bench-storage/missing-${i}.jpg` }))),
      getSource: async () => {
        const o = await s3.send(new GetObjectCommand({ Bucket: src, Key: "bench-storage/source.jpg" }));
        if (o.Body) await o.Body.transformToByteArray();
      },
      putThumbnail: async (i) =>
        void (await s3.send(
          new PutObjectCommand({
            Bucket: thumbs,
            Key: `bench-storage/staging/${i}.jpg`,
            Body: thumbnail,
            ContentType: type,
            CacheControl: IMMUTABLE_CACHE_CONTROL,
            Metadata: { width: "256", height: "192" },
          }),
        )),
      copyThumbnail: async (i) =>
        void (await s3.send(
          new CopyObjectCommand({
            Bucket: thumbs,
            Key: `bench-storage/public/${i}.jpg`,
            CopySource: `${thumbs}/bench-storage/staging/${i}.jpg`,
            MetadataDirective: "COPY",
          }),
        )),
    };
    const rawOps: Record<StorageOp, (i: number) => Promise<void>> = {
      headFound: () => rawCall("HEAD", `/${src}/bench-storage/source.jpg`),
      headMissing: (i) => rawCall("HEAD", `/${thumbs}/bench-storage/missing-${i}.jpg`),
      getSource: () => rawCall("GET", `/${src}/bench-storage/source.jpg`),
      putThumbnail: (i) => rawCall("PUT", `/${thumbs}/bench-storage/staging/${i}.jpg`, putHeaders, thumbnail),
      copyThumbnail: (i) =>
        rawCall("PUT", `/${thumbs}/bench-storage/public/${i}.jpg`, {
          "x-amz-copy-source": `/${thumbs}/bench-storage/staging/${i}.jpg`,
        }),
    };
    const warmup = Math.min(5, ops);
    for (let i = 0; i < warmup + ops; i++) {
      // Alternate which side goes first; ops run in workflow order (the COPY needs the PUT).
      const sides = i % 2 === 0 ? (["gated", "raw"] as const) : (["raw", "gated"] as const);
      for (const op of STORAGE_OPS) {
        for (const side of sides) {
          const fn = side === "gated" ? gatedOps[op] : rawOps[op];
          const started = performance.now();
          await fn(i);
          if (i >= warmup) samples[side][op].push(performance.now() - started);
        }
      }
    }
  } finally {
    s3.destroy();
    await raw.close();
    await rm(rawDir, { recursive: true, force: true });
  }
  const gated = recordOf(STORAGE_OPS, (op) => summarize(samples.gated[op]));
  const rawSummary = recordOf(STORAGE_OPS, (op) => summarize(samples.raw[op]));
  const sum = (s: Record<StorageOp, Summary>): number => WORKFLOW_EXTRA_OPS.reduce((t, op) => t + s[op].p50, 0);
  return {
    sourceBytes: source.length,
    thumbnailBytes: thumbnail.length,
    gated,
    raw: rawSummary,
    extraOpsGatedMs: sum(gated),
    extraOpsRawMs: sum(rawSummary),
  };
}
