/**
 * The service's functions under the local Lambda execution model (local/lambda), at a chosen memory
 * size, with the environment `pulumi up` gives them, pointed at a bench service's local S3 and Step
 * Functions. Every instance shares one build of the bundles.
 */
import { FUNCTION_NAMES, functionMemoryMb, type FunctionName } from "../../infra/catalog";
import { functionTimeoutSeconds } from "../../infra/timeouts";
import { STACK_DEFAULTS } from "../../infra/stack-config";
import { configToEnv } from "../../lambdas/shared/config";
import type { ServiceConfig } from "../../lambdas/shared/types";
import { startLocalLambda, type LocalLambda } from "../../local/lambda";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/service";

/** What `pulumi up` deploys each function with (infra/stack-config.ts STACK_DEFAULTS). */
export const defaultMemoryMb = (name: FunctionName): number => functionMemoryMb(name, STACK_DEFAULTS);

/** The environment local/service.ts gives isolated functions: configuration, region, credentials. */
export function functionEnv(config: ServiceConfig): Record<string, string> {
  return {
    ...configToEnv(config),
    AWS_REGION: config.region ?? LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    ...(process.env["LOG_LEVEL"] !== undefined ? { LOG_LEVEL: process.env["LOG_LEVEL"] } : {}),
  };
}

/** Environments are reaped by the bench itself (reapAll), never by idling, during a measurement. */
const NEVER_IDLE_MS = 60 * 60_000;

/** Every function at `memoryMb(name)`; environments start only when a function is invoked. */
export function startFunctions(
  config: ServiceConfig,
  bundleDir: string,
  memoryMb: (name: FunctionName) => number,
): Promise<LocalLambda> {
  return startLocalLambda({
    functions: FUNCTION_NAMES.map((name) => ({
      name,
      memoryMb: memoryMb(name),
      timeoutSeconds: functionTimeoutSeconds(name),
    })),
    env: functionEnv(config),
    bundleDir,
    idleMs: NEVER_IDLE_MS,
    onLog: () => undefined,
    onReport: () => undefined,
  });
}
