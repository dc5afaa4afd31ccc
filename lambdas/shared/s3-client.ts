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
    // Resolve each command's middleware stack once per client, not on every send (the SDK's own
    // option; ~0.1 ms per S3 call here). Nothing adds middleware to these clients after creation.
    cacheMiddleware: true,
  });
}

export const s3FromEnv = once(() => createS3Client(configFromEnv()));
