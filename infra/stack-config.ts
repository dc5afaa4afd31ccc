/**
 * The stack's configuration (`thumbnail-service:*` in Pulumi.<stack>.yaml), read once into a typed,
 * validated object. The runtime settings go through the same parser the Lambdas use
 * (lambdas/shared/config.ts), so a value a function would refuse at cold start fails `pulumi up` instead.
 */
import { CONFIG_ENV, ConfigError, parseConfig } from "../lambdas/shared/config";
import type { ServiceConfig } from "../lambdas/shared/types";
import { taskTimeoutSeconds } from "./definition";

export const ARCHITECTURES = ["arm64", "x86_64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** cloudfront: thumbnails served through CloudFront with Origin Access Control; public-bucket: a bucket policy. */
export const DELIVERY_MODES = ["cloudfront", "public-bucket"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** The values CloudWatch Logs accepts for retentionInDays. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The runtime settings of ServiceConfig that come from the stack config (the rest are AWS resources). */
export type ServiceSettings = Pick<
  ServiceConfig,
  | "resolutions"
  | "formats"
  | "defaultFormat"
  | "maxUploadBytes"
  | "maxInputPixels"
  | "uploadContentTypes"
  | "uploadExpirySeconds"
  | "processingTimeoutSeconds"
>;

/**
 * Who may call /uploadURL and /thumbnail: tokens of this OIDC issuer for one of these audiences,
 * checked by API Gateway's JWT authorizer (infra/api.ts). Absent: the API is open.
 */
export interface JwtAuthSettings {
  /** The token's `iss`, exactly; discovery is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** The token's `aud` (or `client_id` when it has no `aud`) must be one of these. */
  audiences: string[];
}

export interface StackConfig {
  /** Passed to every function through configToEnv (lambdas/shared/config.ts). */
  service: ServiceSettings;
  /** Browser origins allowed besides the site's own CloudFront origin, which is always allowed. */
  extraOrigins: string[];
  deliveryMode: DeliveryMode;
  architecture: Architecture;
  /** Memory of every function but resize. */
  memoryMb: number;
  /** Memory of resize, sized for the largest allowed image (see infra/README.md). */
  resizeMemoryMb: number;
  logRetentionDays: number;
  throttle: { rateLimit: number; burstLimit: number };
  /** Uploads are deleted this many days after they were made. */
  uploadRetentionDays: number;
  /** The p99 API latency (ms) above which the latency alarm fires. */
  latencyAlarmP99Ms: number;
  /** Where alarm notifications go; none: the SNS topic exists without subscribers. */
  alarmEmail?: string;
  /** Let `pulumi destroy` delete buckets that still hold objects. */
  forceDestroy: boolean;
  priceClass: PriceClass;
  /** Sign-in required when set (both jwtIssuer and jwtAudience); an open API when absent. */
  auth?: JwtAuthSettings;
}

export const STACK_DEFAULTS = {
  extraOrigins: [] as string[],
  deliveryMode: "cloudfront",
  architecture: "arm64",
  // Every function but resize: the knee of the power-tuning table (bench/README.md). At 256 MB
  // (0.145 vCPU) fetch and store-public spend ~0.7 s loading the AWS SDK, over a quarter of their
  // 2 s Tasks; 512 MB halves every cold start (all Inits <= 25% of their Task's timeout, a fully
  // cold GET /thumbnail ~2 s) for ~$0.1 more per million thumbnails (their warm runs are I/O-bound).
  memoryMb: 512,
  // Worst case of a 100 MP image fully decoded at 16 bits per channel plus one rotated copy ~1.6 GB,
  // plus the 25 MiB input, Node and allocator slack; 3008 MB also buys ~1.7 vCPUs for the 5 s budget.
  resizeMemoryMb: 3008,
  logRetentionDays: 14,
  throttleRateLimit: 50,
  throttleBurstLimit: 100,
  uploadRetentionDays: 7,
  latencyAlarmP99Ms: 10_000,
  forceDestroy: false,
  priceClass: "PriceClass_100",
} as const satisfies Record<string, unknown>;

export class StackConfigError extends Error {
  override readonly name = "StackConfigError";
}

/** A Pulumi config reader: `(key) => new pulumi.Config().get(key)`. Structured YAML values arrive as JSON. */
export type ConfigSource = (key: string) => string | undefined;

/** Lists may be YAML lists (JSON text here) or comma-separated strings. */
function list(source: ConfigSource, key: string): string[] | undefined {
  const raw = source(key);
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!text.startsWith("["))
    return text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StackConfigError(`${key} is not a valid list: ${raw}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((v): v is string => typeof v === "string")) {
    throw new StackConfigError(`${key} must be a list of strings`);
  }
  return parsed;
}

function integer(source: ConfigSource, key: string, fallback: number, min: number, max: number): number {
  const raw = source(key);
  if (raw === undefined) return fallback;
  if (!/^[0-9]+$/.test(raw.trim())) throw new StackConfigError(`${key} must be an integer, got '${raw}'`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new StackConfigError(`${key} must be within ${min}..${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(source: ConfigSource, key: string, allowed: readonly T[], fallback: T): T {
  const raw = source(key);
  if (raw === undefined) return fallback;
  const found = allowed.find((a) => a === raw);
  if (found === undefined) throw new StackConfigError(`${key} must be one of ${allowed.join(", ")}, got '${raw}'`);
  return found;
}

function bool(source: ConfigSource, key: string, fallback: boolean): boolean {
  const raw = source(key);
  if (raw === undefined) return fallback;
  if (raw !== "true" && raw !== "false") throw new StackConfigError(`${key} must be true or false, got '${raw}'`);
  return raw === "true";
}

// Stand-ins for the values only AWS knows, so parseConfig can check everything else now.
const PLACEHOLDER_RESOURCES = {
  [CONFIG_ENV.sourceBucket]: "placeholder-source",
  [CONFIG_ENV.thumbnailBucket]: "placeholder-thumbnails",
  [CONFIG_ENV.publicBaseUrl]: "https://placeholder.invalid",
};

/** The stack config keys that are the functions' runtime settings (lambdas/shared/config.ts). */
const SERVICE_SETTING_KEYS = [
  "resolutions",
  "formats",
  "defaultFormat",
  "maxUploadBytes",
  "maxInputPixels",
  "uploadContentTypes",
  "uploadExpirySeconds",
  "processingTimeoutSeconds",
] as const satisfies readonly (keyof ServiceSettings)[];

/** Checks the runtime settings with the Lambdas' own parser; returns them typed. */
function readServiceSettings(source: ConfigSource, extraOrigins: string[]): ServiceSettings {
  const env: Record<string, string | undefined> = { ...PLACEHOLDER_RESOURCES };
  for (const key of SERVICE_SETTING_KEYS) {
    const raw =
      key === "resolutions" || key === "formats" || key === "uploadContentTypes"
        ? list(source, key)?.join(",")
        : source(key);
    env[CONFIG_ENV[key]] = raw;
  }
  // The site's origin is added at deploy time; the extra ones must pass the same pattern.
  env[CONFIG_ENV.allowedOrigins] = [...extraOrigins, "https://placeholder.invalid"].join(",");
  let parsed: ServiceConfig;
  try {
    parsed = parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError)
      throw new StackConfigError(err.message.replace("invalid configuration", "invalid stack config"));
    throw err;
  }
  const settings: ServiceSettings = {
    resolutions: parsed.resolutions,
    formats: parsed.formats,
    defaultFormat: parsed.defaultFormat,
    maxUploadBytes: parsed.maxUploadBytes,
    maxInputPixels: parsed.maxInputPixels,
    uploadContentTypes: parsed.uploadContentTypes,
    uploadExpirySeconds: parsed.uploadExpirySeconds,
    processingTimeoutSeconds: parsed.processingTimeoutSeconds,
  };
  // A slow decode must end as a 422 from sharp's own timeout, before Step Functions times the task out.
  const resizeTimeout = taskTimeoutSeconds().Resize;
  if (settings.processingTimeoutSeconds >= resizeTimeout) {
    throw new StackConfigError(
      `processingTimeoutSeconds (${settings.processingTimeoutSeconds}) must be below the Resize task's TimeoutSeconds (${resizeTimeout})`,
    );
  }
  return settings;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** API Gateway fetches the issuer's discovery document and keys over the internet, so https only. */
function isIssuerUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === "https:" &&
    url.username === "" &&
    url.password === "" &&
    url.search === "" &&
    url.hash === "" &&
    !/\s/.test(value)
  );
}

/** Both or neither: half a configuration would either fail to deploy or leave the API open unnoticed. */
function readJwtAuth(source: ConfigSource): JwtAuthSettings | undefined {
  const issuer = source("jwtIssuer");
  const audiences = list(source, "jwtAudience");
  if (issuer === undefined && audiences === undefined) return undefined;
  if (issuer === undefined || audiences === undefined) {
    throw new StackConfigError(
      "jwtIssuer and jwtAudience go together: set both to require sign-in, or neither for an open API",
    );
  }
  if (!isIssuerUrl(issuer)) {
    throw new StackConfigError(
      `jwtIssuer must be the issuer's https URL (e.g. https://cognito-idp.<region>.amazonaws.com/<userPoolId>), got '${issuer}'`,
    );
  }
  if (audiences.length === 0 || audiences.some((a) => a.trim() === "")) {
    throw new StackConfigError(
      "jwtAudience must list at least one audience (e.g. the Cognito app client id), none empty",
    );
  }
  return { issuer, audiences };
}

/** Every key the program reads; anything else in the project's namespace is a typo. */
export const STACK_CONFIG_KEYS = [
  ...SERVICE_SETTING_KEYS,
  "allowedOrigins",
  "deliveryMode",
  "architecture",
  "memoryMb",
  "resizeMemoryMb",
  "logRetentionDays",
  "throttleRateLimit",
  "throttleBurstLimit",
  "uploadRetentionDays",
  "latencyAlarmP99Ms",
  "alarmEmail",
  "forceDestroy",
  "priceClass",
  "jwtIssuer",
  "jwtAudience",
] as const;

/**
 * Reads and checks the stack config. `keysSet` are the keys the stack sets in the project's
 * namespace (without the `<project>:` prefix); an unknown one fails instead of being ignored.
 */
export function readStackConfig(source: ConfigSource, keysSet: string[] = []): StackConfig {
  const known: readonly string[] = STACK_CONFIG_KEYS;
  const unknown = keysSet.filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new StackConfigError(`unknown config key(s): ${unknown.join(", ")}; the program reads ${known.join(", ")}`);
  }
  const extraOrigins = list(source, "allowedOrigins") ?? [...STACK_DEFAULTS.extraOrigins];
  const logRetentionDays = integer(source, "logRetentionDays", STACK_DEFAULTS.logRetentionDays, 1, 3653);
  if (!LOG_RETENTION_DAYS.some((d) => d === logRetentionDays)) {
    throw new StackConfigError(
      `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${logRetentionDays}`,
    );
  }
  const alarmEmail = source("alarmEmail");
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new StackConfigError(`alarmEmail is not an email address: '${alarmEmail}'`);
  }
  const rateLimit = integer(source, "throttleRateLimit", STACK_DEFAULTS.throttleRateLimit, 1, 10_000);
  const burstLimit = integer(source, "throttleBurstLimit", STACK_DEFAULTS.throttleBurstLimit, 1, 5_000);
  const auth = readJwtAuth(source);
  return {
    service: readServiceSettings(source, extraOrigins),
    extraOrigins,
    deliveryMode: oneOf(source, "deliveryMode", DELIVERY_MODES, STACK_DEFAULTS.deliveryMode),
    architecture: oneOf(source, "architecture", ARCHITECTURES, STACK_DEFAULTS.architecture),
    memoryMb: integer(source, "memoryMb", STACK_DEFAULTS.memoryMb, 128, 10_240),
    resizeMemoryMb: integer(source, "resizeMemoryMb", STACK_DEFAULTS.resizeMemoryMb, 512, 10_240),
    logRetentionDays,
    throttle: { rateLimit, burstLimit },
    uploadRetentionDays: integer(source, "uploadRetentionDays", STACK_DEFAULTS.uploadRetentionDays, 1, 3650),
    latencyAlarmP99Ms: integer(source, "latencyAlarmP99Ms", STACK_DEFAULTS.latencyAlarmP99Ms, 100, 30_000),
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    forceDestroy: bool(source, "forceDestroy", STACK_DEFAULTS.forceDestroy),
    priceClass: oneOf(source, "priceClass", PRICE_CLASSES, STACK_DEFAULTS.priceClass),
    ...(auth !== undefined ? { auth } : {}),
  };
}
