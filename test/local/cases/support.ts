/**
 * What the docs/cases.md suites share: the API as a client sees it (status, error body, request id), the
 * execution behind an answer, and listings of the buckets through the SDK, so a test can say
 * "nothing was written under thumbnails/" by looking, not by trusting a status code.
 */
import { strict as assert } from "node:assert";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "../../../lambdas/shared/s3-client";
import type { ThumbnailResult } from "../../../lambdas/shared/types";
import * as validators from "../../../lambdas/shared/validators";
import type { ExecutionLog } from "../../../local/stepfunctions";
import { getJson } from "../../helpers/http";
import { startTestService, type TestService } from "../../helpers/service";

export interface ErrorBody {
  error: { code: string; message: string };
  requestId: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  requestId: string;
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body) || !("requestId" in body)) return false;
  const { error } = body;
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}

/** GET /thumbnail with a raw query string (sent as written, so malformed values reach the API). */
export async function askThumbnail(svc: TestService, query: string): Promise<Answer> {
  const r = await getJson(`${svc.appUrl}/thumbnail?${query}`);
  return { ...r, requestId: r.headers.get("x-request-id") ?? "" };
}

export function thumbnailQuery(imageName: string, res = "256x256", format?: string): string {
  return `imageName=${imageName}&res=${res}${format ? `&format=${format}` : ""}`;
}

/** Asserts a 200 whose body is the contract's result, and returns it. */
export function expectThumbnail(r: Answer): ThumbnailResult {
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(validators.thumbnailResult(r.body), `not a thumbnail result: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Asserts the contract's error answer: status, code, a message, the request id in header and body. */
export function expectError(r: Answer, status: number, code: string): ErrorBody {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.ok(isErrorBody(r.body), `not an error body: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error.code, code, r.body.error.message);
  assert.ok(r.body.error.message.length > 0);
  assert.equal(r.body.requestId, r.requestId, "the body names the request id of the header");
  return r.body;
}

/** The local execution behind an answer (its name is the answer's x-request-id), or undefined. */
export const executionOf = (svc: TestService, r: Answer): ExecutionLog | undefined =>
  svc.sfn.getExecutionLog(r.requestId);

export function retriesOf(log: ExecutionLog | undefined, state: string): number[] {
  return (log?.states ?? []).filter((s) => s.state === state).map((s) => s.retries);
}

/** An SDK client of the service's local S3, with bucket listings and reads. Destroy it when done. */
export interface Bucket {
  s3: S3Client;
  /** Every key under `prefix` (all pages). */
  list(bucket: string, prefix: string): Promise<string[]>;
  get(bucket: string, key: string): Promise<Buffer>;
  destroy(): void;
}

export function bucketsOf(svc: TestService): Bucket {
  const s3 = createS3Client(svc.config, svc.credentials);
  return {
    s3,
    async list(bucket, prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async get(bucket, key) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await (out.Body?.transformToByteArray() ?? new Uint8Array()));
    },
    destroy: () => s3.destroy(),
  };
}

/** The id part of an imageName: thumbnails of it live under thumbnails/<id>/. */
export const idOf = (imageName: string): string => imageName.slice(0, imageName.indexOf("."));

/** Fetches a public thumbnail anonymously, as a browser would. */
export async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * The running local service for the enclosing describe, with a client of its buckets: started before
 * its tests and handed to `use`, stopped after them.
 */
export function withService(
  use: (svc: TestService, buckets: Bucket) => void,
  options?: Parameters<typeof startTestService>[0],
): void {
  let started: { svc: TestService; buckets: Bucket } | undefined;
  before(async () => {
    const svc = await startTestService(options);
    started = { svc, buckets: bucketsOf(svc) };
    use(started.svc, started.buckets);
  });
  after(async () => {
    started?.buckets.destroy();
    await started?.svc.stop();
  });
}
