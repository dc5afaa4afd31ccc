/**
 * Runtime configuration: read once per cold start from the environment the Pulumi program (or local
 * mode) sets, checked against schemas/config.schema.json. A misconfigured function fails loudly at
 * start instead of misbehaving per request.
 */
import { OUTPUT_FORMATS, UPLOAD_CONTENT_TYPES } from "./image-formats";
import type { ServiceConfig } from "./types";
import { describeErrors } from "./validation";
import * as validators from "./validators";

/** Defaults shared by local mode, the Pulumi config and the docs. */
export const CONFIG_DEFAULTS = {
  resolutions: ["64x64", "128x128", "256x256", "512x512", "1024x1024"],
  formats: OUTPUT_FORMATS,
  defaultFormat: "jpeg",
  // 25 MiB: a 48 MP phone JPEG is ~15 MB; larger files are rarely photos a browser should upload.
  maxUploadBytes: 25 * 1024 * 1024,
  // 100 MP: above any phone camera, far below what would exhaust the resize function's memory.
  maxInputPixels: 100_000_000,
  uploadContentTypes: UPLOAD_CONTENT_TYPES,
  allowedOrigins: ["*"],
  uploadExpirySeconds: 300,
  // Must stay below the Resize state's TimeoutSeconds (statemachine/) so a slow decode is a 422.
  processingTimeoutSeconds: 3,
} as const;

/** The environment variable each field is read from. */
export const CONFIG_ENV = {
  sourceBucket: "SOURCE_BUCKET",
  thumbnailBucket: "THUMBNAIL_BUCKET",
  publicBaseUrl: "PUBLIC_BASE_URL",
  resolutions: "RESOLUTIONS",
  formats: "FORMATS",
  defaultFormat: "DEFAULT_FORMAT",
  maxUploadBytes: "MAX_UPLOAD_BYTES",
  maxInputPixels: "MAX_INPUT_PIXELS",
  uploadContentTypes: "UPLOAD_CONTENT_TYPES",
  allowedOrigins: "ALLOWED_ORIGINS",
  uploadExpirySeconds: "UPLOAD_EXPIRY_SECONDS",
  processingTimeoutSeconds: "PROCESSING_TIMEOUT_SECONDS",
  stateMachineArn: "STATE_MACHINE_ARN",
  region: "AWS_REGION",
  s3Endpoint: "S3_ENDPOINT",
  sfnEndpoint: "SFN_ENDPOINT",
} as const satisfies Record<keyof ServiceConfig, string>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Env = Record<string, string | undefined>;

const list = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
const int = (v: string | undefined): number | string | undefined =>
  v === undefined ? undefined : /^[0-9]+$/.test(v) ? Number(v) : v;
const str = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v);

export function parseConfig(env: Env = process.env): ServiceConfig {
  const e = (k: keyof ServiceConfig): string | undefined => str(env[CONFIG_ENV[k]]);
  const raw: Record<string, unknown> = {
    sourceBucket: e("sourceBucket"),
    thumbnailBucket: e("thumbnailBucket"),
    publicBaseUrl: e("publicBaseUrl"),
    resolutions: list(e("resolutions")) ?? [...CONFIG_DEFAULTS.resolutions],
    formats: list(e("formats")) ?? [...CONFIG_DEFAULTS.formats],
    defaultFormat: e("defaultFormat") ?? CONFIG_DEFAULTS.defaultFormat,
    maxUploadBytes: int(e("maxUploadBytes")) ?? CONFIG_DEFAULTS.maxUploadBytes,
    maxInputPixels: int(e("maxInputPixels")) ?? CONFIG_DEFAULTS.maxInputPixels,
    uploadContentTypes: list(e("uploadContentTypes")) ?? [...CONFIG_DEFAULTS.uploadContentTypes],
    allowedOrigins: list(e("allowedOrigins")) ?? [...CONFIG_DEFAULTS.allowedOrigins],
    uploadExpirySeconds: int(e("uploadExpirySeconds")) ?? CONFIG_DEFAULTS.uploadExpirySeconds,
    processingTimeoutSeconds: int(e("processingTimeoutSeconds")) ?? CONFIG_DEFAULTS.processingTimeoutSeconds,
    stateMachineArn: e("stateMachineArn"),
    region: e("region"),
    s3Endpoint: e("s3Endpoint"),
    sfnEndpoint: e("sfnEndpoint"),
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  if (!validators.config(raw)) {
    throw new ConfigError(`invalid configuration: ${describeErrors(validators.config.errors)}`);
  }
  const config: ServiceConfig = raw;
  if (!config.formats.includes(config.defaultFormat)) {
    throw new ConfigError(`invalid configuration: DEFAULT_FORMAT ${config.defaultFormat} is not in FORMATS`);
  }
  return config;
}

/** The inverse of parseConfig: the environment a function needs for `config` (Pulumi and local mode use it). */
export function configToEnv(config: ServiceConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [field, name] of Object.entries(CONFIG_ENV) as [keyof ServiceConfig, string][]) {
    if (field === "region") continue; // Lambda sets AWS_REGION itself; it is reserved.
    const value = config[field];
    if (value === undefined) continue;
    env[name] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return env;
}
