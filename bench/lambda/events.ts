/**
 * The events each function is measured on. API functions get HTTP API payload 2.0 events built by
 * the same code the local app uses (local/api-event.ts). Task functions get real ones: the five
 * tasks chained once on a fresh upload, each output the next input, as Step Functions passes them.
 * Replaying an event must take the path a cache miss takes, so Fetch and StorePublic find no
 * published thumbnail (it is deleted before each of their invocations) and the thumbnail function's
 * hit finds one (it is put back before each of its invocations).
 */
import { randomUUID } from "node:crypto";
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { CopyObjectCommand, DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { FUNCTION_NAMES, TASKS, type FunctionName } from "../../infra/catalog";
import type { ThumbnailReady, ThumbnailRequest, OutputFormat, ServiceConfig } from "../../lambdas/shared/types";
import { newRequestId, toApiEvent } from "../../local/api-event";
import type { FunctionPool } from "../../local/lambda/pool";
import { isRecord } from "../child-process";

/** A GET of `path` with `query`, as API Gateway hands it to the route's function. */
export function apiEvent(path: string, query: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const req = new IncomingMessage(new Socket());
  req.method = "GET";
  req.httpVersion = "1.1";
  req.headers = { host: "api.local", "user-agent": "thumbnail-bench", accept: "application/json" };
  const search = new URLSearchParams(query).toString();
  const url = new URL(`http://api.local${path}${search ? `?${search}` : ""}`);
  return toApiEvent(req, url, `GET ${path}`, newRequestId());
}

export interface Workload {
  /** The event of one invocation (a fresh one each call where ids must differ). */
  event(): unknown;
  /** Run before each invocation, outside the timing. */
  prepare?(): Promise<void>;
}

/** Each task function's input on a cache miss. */
export type TaskEvents = Partial<Record<FunctionName, unknown>>;

async function invokeOk(pool: FunctionPool, event: unknown, what: string): Promise<unknown> {
  const outcome = await pool.invoke(event);
  if (!outcome.ok)
    throw new Error(
      `${what} failed while chaining the tasks: ${outcome.error?.errorType ?? "?"}: ${outcome.error?.errorMessage ?? ""}`,
    );
  return outcome.response;
}

/**
 * Runs the catalog's tasks once in its order (the workflow's path on a cache miss), each output the
 * next input, and returns each function's input: a Task added to the catalog is measured too.
 */
export async function chainTasks(
  pool: (name: FunctionName) => FunctionPool,
  request: ThumbnailRequest,
): Promise<TaskEvents> {
  const events: TaskEvents = {};
  let input: unknown = request;
  for (const task of TASKS) {
    events[task.name] = input;
    input = await invokeOk(pool(task.name), input, task.name);
  }
  return events;
}

export function newThumbnailRequest(imageName: string, res: string, format: OutputFormat): ThumbnailRequest {
  // Execution names and request ids are [A-Za-z0-9_-] (lambdas/shared/api.ts).
  return { requestId: `bench-${randomUUID()}`, imageName, res, format };
}

function isThumbnailReady(v: unknown): v is ThumbnailReady {
  return isRecord(v) && typeof v["thumbnailKey"] === "string" && typeof v["stagingKey"] === "string";
}

/** Every function's workload, from the chained events; the published thumbnail is managed per function. */
export function workloads(
  events: TaskEvents,
  s3: S3Client,
  config: ServiceConfig,
  imageName: string,
  res: string,
  format: OutputFormat,
): Record<FunctionName, Workload> {
  const ready = events["store-public"];
  if (!isThumbnailReady(ready)) throw new Error("resize's output carries no staged thumbnail");
  const unpublish = async (): Promise<void> => {
    await s3.send(new DeleteObjectCommand({ Bucket: config.thumbnailBucket, Key: ready.thumbnailKey }));
  };
  const publish = async (): Promise<void> => {
    await s3.send(
      new CopyObjectCommand({
        Bucket: config.thumbnailBucket,
        Key: ready.thumbnailKey,
        CopySource: `${config.thumbnailBucket}/${ready.stagingKey}`,
        MetadataDirective: "COPY",
      }),
    );
  };
  const out: Partial<Record<FunctionName, Workload>> = {};
  for (const name of FUNCTION_NAMES) {
    // The API functions' paths are their routes in the catalog (API_FUNCTIONS, infra/catalog.ts).
    if (name === "thumbnail") {
      // A hit: the function's own work and one StartSyncExecution, not a resize it only waits for.
      out[name] = { event: () => apiEvent("/thumbnail", { imageName, res, format }), prepare: publish };
    } else if (name === "presign") {
      out[name] = { event: () => apiEvent("/uploadURL", { contentType: "image/jpeg" }) };
    } else if (name === "config") {
      out[name] = { event: () => apiEvent("/config") };
    } else if (name === "fetch" || name === "store-public") {
      out[name] = { event: () => events[name], prepare: unpublish };
    } else {
      const event = events[name];
      out[name] = { event: () => event };
    }
  }
  return out as Record<FunctionName, Workload>;
}
