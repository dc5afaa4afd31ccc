/** The Step Functions client of the thumbnail API function. */
import { SFNClient } from "@aws-sdk/client-sfn";
import { configFromEnv } from "./env";
import { DEFAULT_REGION, keepAliveHandler, once, type StaticCredentials } from "./http-agent";
import type { ServiceConfig } from "./types";

export function createSfnClient(config: ServiceConfig, credentials?: StaticCredentials): SFNClient {
  return new SFNClient({
    region: config.region ?? DEFAULT_REGION,
    // StartSyncExecution is sent to a `sync-` host prefix; a custom endpoint (local mode) has no such host.
    ...(config.sfnEndpoint ? { endpoint: config.sfnEndpoint, disableHostPrefix: true } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 2,
    // No socket limit: the caller's AbortSignal carries the deadline (the API function's remaining time).
    requestHandler: keepAliveHandler(0),
  });
}

export const sfnFromEnv = once(() => createSfnClient(configFromEnv()));
