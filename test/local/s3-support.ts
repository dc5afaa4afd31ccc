/**
 * Shared set-up for the local S3 tests: a gate + s3rver on ephemeral ports over a fresh temporary
 * data directory, the real AWS SDK client pointed at it, and a plain-fetch form POST like a browser's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { strict as assert } from "node:assert";
import { S3Client, S3ServiceException, type S3ClientConfig } from "@aws-sdk/client-s3";
import { createPresignedPost, type PresignedPostOptions } from "@aws-sdk/s3-presigned-post";
import { startLocalS3, type LocalS3, type LocalS3Options } from "../../local/s3";

export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "LOCALTESTKEY", secretAccessKey: "local-test-secret-key" };
export const SOURCE_BUCKET = "source-bucket";
export const THUMB_BUCKET = "thumb-bucket";
export const ALLOWED_ORIGIN = "https://app.example.test";

export interface Fixture {
  s3: LocalS3;
  client: S3Client;
  dataDir: string;
  options: LocalS3Options;
  close(): Promise<void>;
}

export function s3Client(endpoint: string, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: CREDENTIALS, ...extra });
}

export function fixtureOptions(dataDir: string): LocalS3Options {
  return {
    port: 0,
    dataDir,
    region: REGION,
    credentials: CREDENTIALS,
    buckets: [SOURCE_BUCKET, THUMB_BUCKET],
    publicRead: [{ bucket: THUMB_BUCKET, prefix: "thumbnails/" }],
    cors: [{ bucket: SOURCE_BUCKET, allowedOrigins: [ALLOWED_ORIGIN] }],
  };
}

/** Starts a local S3 on a fresh temporary directory; `close()` stops it and removes the directory. */
export async function startFixture(): Promise<Fixture> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "local-s3-test-"));
  const options = fixtureOptions(dataDir);
  const s3 = await startLocalS3(options);
  const client = s3Client(s3.endpoint, { maxAttempts: 1 });
  return {
    s3,
    client,
    dataDir,
    options,
    close: async () => {
      client.destroy();
      await s3.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface UploadFile {
  bytes: Uint8Array;
  filename?: string;
  type?: string;
}

/** POSTs `fields` then `file` as multipart/form-data, as a browser form or fetch() would. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  file: UploadFile,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append(
    "file",
    new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }),
    file.filename ?? "upload.bin",
  );
  return fetch(url, { method: "POST", body: form, headers });
}

/** A presigned POST as the presign handler makes it: exact key, size range, exact type, 5-minute expiry. */
export function presignUpload(
  client: S3Client,
  key: string,
  maxBytes: number,
  contentType = "image/png",
  extra: Partial<PresignedPostOptions> = {},
) {
  return createPresignedPost(client, {
    Bucket: SOURCE_BUCKET,
    Key: key,
    Conditions: [
      ["content-length-range", 1, maxBytes],
      ["eq", "$Content-Type", contentType],
    ],
    Fields: { "Content-Type": contentType },
    Expires: 300,
    ...extra,
  });
}

/** The <Code> of an S3 XML error body. */
export function errorCode(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

export function errorMessage(xml: string): string | undefined {
  return /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
}

/** The SDK's exception for a call expected to fail. */
export async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof S3ServiceException, `not an S3ServiceException: ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}
