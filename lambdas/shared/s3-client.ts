/** The S3 client: one per cold start. Local mode swaps only the endpoint and credentials. */
import { S3Client } from "@aws-sdk/client-s3";
import { configFromEnv } from "./env";
import { DEFAULT_REGION, keepAliveHandler, once, type StaticCredentials } from "./http-agent";
import type { ServiceConfig } from "./types";

export function createS3Client(config: ServiceConfig, credentials?: StaticCredentials): S3Client {
  return new S3Client({
    region: config.region ?? DEFAULT_REGION,
    ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
    // Two attempts inside the Lambda; the workflow's Retry adds one more round on top.
    maxAttempts: 2,
    // A hung storage node must not stall a task past its Step Functions timeout.
    requestHandler: keepAliveHandler(2000),
  });
}

export const s3FromEnv = once(() => createS3Client(configFromEnv()));
