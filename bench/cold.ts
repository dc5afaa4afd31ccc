/**
 * Cold start: a fresh process per run (child-cold.ts) whose first GET /thumbnail is timed against
 * the warm ones after it. The uploads are put into a data dir beforehand by a short-lived local S3
 * in this process, so the child's first request is the first thing its service does.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startLocalS3 } from "../local/s3";
import { LOCAL_BUCKETS, LOCAL_CREDENTIALS, LOCAL_REGION } from "../local/service";
import { hasNumbers, isRecord, runChild } from "./child-process";
import type { BenchInput } from "./inputs";
import { summarize, type Summary } from "./stats";

export interface ColdArgs {
  dataDir: string;
  imageNames: string[];
  res: string;
  format: string;
}

export interface ColdResult {
  /** Process start to every module loaded. */
  loadMs: number;
  /** startLocalService (local S3, Step Functions, app, web build). */
  startMs: number;
  /** The first GET /thumbnail of the process (a cache miss). */
  firstMs: number;
  /** Median of the following cache misses (other uploads). */
  warmMs: number;
  /** The first upload again (a cache hit). */
  hitMs: number;
}

const COLD_KEYS = ["loadMs", "startMs", "firstMs", "warmMs", "hitMs"] as const;

export function isColdArgs(v: unknown): v is ColdArgs {
  return (
    isRecord(v) &&
    typeof v["dataDir"] === "string" &&
    Array.isArray(v["imageNames"]) &&
    v["imageNames"].length >= 2 &&
    v["imageNames"].every((n) => typeof n === "string") &&
    typeof v["res"] === "string" &&
    typeof v["format"] === "string"
  );
}

export type ColdSummary = Record<(typeof COLD_KEYS)[number], Summary> & { runs: ColdResult[] };

/** Warm misses after the first request, per run. */
const WARM_REQUESTS = 3;

async function prepareDataDir(input: BenchInput): Promise<{ dataDir: string; imageNames: string[] }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "thumb-bench-cold-"));
  // The same layout and identity startLocalService uses (local/service.ts), so the child finds the objects.
  const s3 = await startLocalS3({
    port: 0,
    dataDir: path.join(dataDir, "s3"),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    buckets: [LOCAL_BUCKETS.source, LOCAL_BUCKETS.thumbnails],
    publicRead: [],
    cors: [],
  });
  const client = new S3Client({
    region: LOCAL_REGION,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  const imageNames: string[] = [];
  try {
    for (let i = 0; i <= WARM_REQUESTS; i++) {
      const imageName = `${randomUUID()}.${input.ext}`;
      await client.send(
        new PutObjectCommand({
          Bucket: LOCAL_BUCKETS.source,
          Key: `uploads/${imageName}`,
          Body: input.bytes,
          ContentType: input.contentType,
        }),
      );
      imageNames.push(imageName);
    }
  } finally {
    client.destroy();
    await s3.close();
  }
  return { dataDir, imageNames };
}

export async function measureColdStart(
  input: BenchInput,
  runs: number,
  res: string,
  format: string,
): Promise<ColdSummary> {
  const results: ColdResult[] = [];
  for (let i = 0; i < runs; i++) {
    const { dataDir, imageNames } = await prepareDataDir(input);
    try {
      const args: ColdArgs = { dataDir, imageNames, res, format };
      const result = await runChild("child-cold.ts", args, 120_000);
      if (!hasNumbers(result, COLD_KEYS)) throw new Error(`child-cold reported ${JSON.stringify(result)}`);
      results.push(result);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const pick = (k: (typeof COLD_KEYS)[number]): Summary => summarize(results.map((r) => r[k]));
  return {
    loadMs: pick("loadMs"),
    startMs: pick("startMs"),
    firstMs: pick("firstMs"),
    warmMs: pick("warmMs"),
    hitMs: pick("hitMs"),
    runs: results,
  };
}
