/**
 * The environment every function gets: the stack's runtime settings plus the AWS values, written
 * by configToEnv and read back through parseConfig (lambdas/shared/config.ts), so a value the
 * functions would refuse at cold start fails the deployment instead.
 */
import { configToEnv, parseConfig } from "../lambdas/shared/config";
import type { ServiceConfig } from "../lambdas/shared/types";
import type { ServiceSettings } from "./stack-config";

export interface ServiceResources {
  sourceBucket: string;
  thumbnailBucket: string;
  /** Where thumbnails/<...> keys are served from, without a trailing slash. */
  publicBaseUrl: string;
  allowedOrigins: string[];
  /** Only the thumbnail function gets it. */
  stateMachineArn?: string;
}

export function serviceEnvironment(settings: ServiceSettings, resources: ServiceResources): Record<string, string> {
  const config: ServiceConfig = { ...settings, ...resources };
  return configToEnv(parseConfig(configToEnv(config)));
}
