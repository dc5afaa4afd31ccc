/**
 * What can make a first `pulumi up` fail, or deploy a service that cannot serve, in a fresh AWS
 * account, said as `pulumi up` warnings where the program can tell (README "First deploy in a fresh
 * account" has the rest). deployWarnings is pure: the stack config plus what could be read from the
 * account. readAccountFacts does the reading and never fails: a lookup the credentials may not allow
 * only costs its warning's precision.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./stack-config";

/** New accounts often cannot create a function with more memory than this (AWS raises it with usage). */
export const NEW_ACCOUNT_MAX_MEMORY_MB = 3008;

/** Service Quotas' code of Lambda's "Concurrent executions" quota (per region). */
export const LAMBDA_CONCURRENCY_QUOTA_CODE = "L-B99A9384";

/** The thumbnail function waits on the workflow while one task function runs. */
export const EXECUTIONS_PER_THUMBNAIL = 2;

/** The account-level S3 Block Public Access settings that matter to a public bucket policy. */
export interface AccountBlockPublicAccess {
  /** S3 refuses to store a bucket policy that grants public access. */
  blockPublicPolicy: boolean;
  /** S3 ignores public grants of bucket policies for anyone outside the account. */
  restrictPublicBuckets: boolean;
}

/** What could be read from the account; a missing field was not read (or not asked for). */
export interface AccountFacts {
  /** Lambda's concurrent executions quota in the stack's region. */
  lambdaConcurrency?: number;
  /** The account-level setting; "not-configured": the account has none, nothing is blocked. */
  accountBlockPublicAccess?: AccountBlockPublicAccess | "not-configured";
}

export type DeployWarningConfig = Pick<StackConfig, "deliveryMode" | "memoryMb" | "resizeMemoryMb" | "throttle">;

function memoryWarning(key: "memoryMb" | "resizeMemoryMb", mb: number, functions: string): string {
  return (
    `${key} is ${mb} MB, above ${NEW_ACCOUNT_MAX_MEMORY_MB} MB. New AWS accounts often cap Lambda memory at ` +
    `${NEW_ACCOUNT_MAX_MEMORY_MB} MB, and there creating ${functions} fails with "'MemorySize' value failed to satisfy ` +
    `constraint: Member must have value less than or equal to ${NEW_ACCOUNT_MAX_MEMORY_MB}". AWS raises the cap as the ` +
    `account is used; it is not an adjustable quota in Service Quotas, so to have it raised now open a case in the ` +
    `AWS Support Center. Until then set thumbnail-service:${key} to ${NEW_ACCOUNT_MAX_MEMORY_MB} or less.`
  );
}

function concurrencyWarning(quota: number, burstLimit: number): string {
  const thumbnails = Math.floor(quota / EXECUTIONS_PER_THUMBNAIL);
  return (
    `Lambda's concurrent executions quota in this region is ${quota} (AWS's default is 1,000; new accounts often ` +
    `get 10). A thumbnail request holds ${EXECUTIONS_PER_THUMBNAIL} executions while it runs (the thumbnail function ` +
    `waiting on the workflow, and the task function at work), so about ${thumbnails} thumbnails can be made at once ` +
    `and Lambda throttles the rest, while the API's throttling admits bursts of ${burstLimit} requests. To ask for ` +
    `more: Service Quotas console (this region) > AWS services > AWS Lambda > "Concurrent executions" ` +
    `(${LAMBDA_CONCURRENCY_QUOTA_CODE}) > Request increase at account level.`
  );
}

const PUBLIC_BUCKET =
  "deliveryMode is public-bucket: thumbnails/ is readable by anyone straight from the thumbnail bucket";
const BPA_SETTINGS = `S3 console > "Block Public Access settings for this account"`;

function publicBucketWarning(bpa: AccountFacts["accountBlockPublicAccess"]): string {
  if (bpa === undefined) {
    return (
      `${PUBLIC_BUCKET}, which the account-level S3 Block Public Access must allow; it could not be read ` +
      `(s3:GetAccountPublicAccessBlock). With BlockPublicPolicy on, S3 refuses the bucket's public-read policy ` +
      `(AccessDenied) and this deploy fails there; with RestrictPublicBuckets on, every thumbnail URL answers 403. ` +
      `Check ${BPA_SETTINGS}, or use deliveryMode cloudfront (the default).`
    );
  }
  if (bpa !== "not-configured" && bpa.blockPublicPolicy) {
    return (
      `${PUBLIC_BUCKET}, but this account's S3 Block Public Access has BlockPublicPolicy on: S3 will refuse the ` +
      `bucket's public-read policy (AccessDenied) and this deploy will fail there. Use deliveryMode cloudfront (the ` +
      `default), or turn BlockPublicPolicy and RestrictPublicBuckets off in ${BPA_SETTINGS} (that affects every ` +
      `bucket of the account).`
    );
  }
  if (bpa !== "not-configured" && bpa.restrictPublicBuckets) {
    return (
      `${PUBLIC_BUCKET}, but this account's S3 Block Public Access has RestrictPublicBuckets on: the deploy ` +
      `succeeds, yet S3 ignores the public-read policy and every thumbnail URL will answer 403. Use deliveryMode ` +
      `cloudfront (the default), or turn RestrictPublicBuckets off in ${BPA_SETTINGS} (that affects every bucket of ` +
      `the account).`
    );
  }
  return (
    `${PUBLIC_BUCKET}. The account-level S3 Block Public Access allows that now; turning its BlockPublicPolicy or ` +
    `RestrictPublicBuckets on later (or an organization doing so) stops thumbnail delivery.`
  );
}

/** The warnings for this stack config in an account with these facts; none for the defaults in a seasoned account. */
export function deployWarnings(config: DeployWarningConfig, facts: AccountFacts = {}): string[] {
  const warnings: string[] = [];
  if (config.memoryMb > NEW_ACCOUNT_MAX_MEMORY_MB)
    warnings.push(memoryWarning("memoryMb", config.memoryMb, "the functions"));
  if (config.resizeMemoryMb > NEW_ACCOUNT_MAX_MEMORY_MB) {
    warnings.push(memoryWarning("resizeMemoryMb", config.resizeMemoryMb, "the resize function"));
  }
  // Warn where Lambda, not the API's own throttling, would be what limits the service.
  const quota = facts.lambdaConcurrency;
  if (quota !== undefined && quota < EXECUTIONS_PER_THUMBNAIL * config.throttle.burstLimit) {
    warnings.push(concurrencyWarning(quota, config.throttle.burstLimit));
  }
  if (config.deliveryMode === "public-bucket") warnings.push(publicBucketWarning(facts.accountBlockPublicAccess));
  return warnings;
}

/** Reads from the account; each may reject (missing permission, region without the API). */
export interface AccountLookups {
  lambdaConcurrency(): Promise<number>;
  accountBlockPublicAccess(): Promise<AccountBlockPublicAccess>;
}

export const awsAccountLookups: AccountLookups = {
  lambdaConcurrency: async () =>
    (await aws.servicequotas.getServiceQuota({ serviceCode: "lambda", quotaCode: LAMBDA_CONCURRENCY_QUOTA_CODE }))
      .value,
  accountBlockPublicAccess: async () => {
    const found = await aws.s3.getAccountPublicAccessBlock({});
    return { blockPublicPolicy: found.blockPublicPolicy, restrictPublicBuckets: found.restrictPublicBuckets };
  },
};

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * What the warnings need from the account: the concurrency quota always, the Block Public Access
 * setting in the public-bucket mode only. A failed or odd lookup leaves its field out (and says why
 * at debug level); this never rejects.
 */
export async function readAccountFacts(
  config: Pick<StackConfig, "deliveryMode">,
  lookups: AccountLookups = awsAccountLookups,
  debug: (message: string) => void = (m) => void pulumi.log.debug(m),
): Promise<AccountFacts> {
  const attempt = <T>(read: () => Promise<T>): Promise<T> => Promise.resolve().then(read);
  const [concurrency, bpa] = await Promise.allSettled([
    attempt(() => lookups.lambdaConcurrency()),
    config.deliveryMode === "public-bucket"
      ? attempt(() => lookups.accountBlockPublicAccess())
      : Promise.resolve(undefined),
  ]);
  const facts: AccountFacts = {};
  if (concurrency.status === "fulfilled") {
    const value: unknown = concurrency.value;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) facts.lambdaConcurrency = value;
    else debug(`Lambda concurrency quota: no usable value (${JSON.stringify(value)})`);
  } else {
    debug(`Lambda concurrency quota not read: ${message(concurrency.reason)}`);
  }
  if (bpa.status === "fulfilled") {
    const value: unknown = bpa.value;
    if (
      typeof value === "object" &&
      value !== null &&
      "blockPublicPolicy" in value &&
      "restrictPublicBuckets" in value &&
      typeof value.blockPublicPolicy === "boolean" &&
      typeof value.restrictPublicBuckets === "boolean"
    ) {
      facts.accountBlockPublicAccess = {
        blockPublicPolicy: value.blockPublicPolicy,
        restrictPublicBuckets: value.restrictPublicBuckets,
      };
    } else if (value !== undefined) {
      debug(`account Block Public Access: no usable value (${JSON.stringify(value)})`);
    }
  } else if (/NoSuchPublicAccessBlockConfiguration/.test(message(bpa.reason))) {
    // S3's answer for an account that never set it: nothing is blocked at the account level.
    facts.accountBlockPublicAccess = "not-configured";
  } else {
    debug(`account Block Public Access not read: ${message(bpa.reason)}`);
  }
  return facts;
}

/**
 * Logs the warnings at `pulumi up` (and preview). The program goes on at once; the lookups run
 * alongside, and keep the program alive until their warnings are logged.
 */
export function reportDeployWarnings(
  config: DeployWarningConfig,
  lookups: AccountLookups = awsAccountLookups,
): Promise<void> {
  const done = pulumi.runtime.rpcKeepAlive();
  return readAccountFacts(config, lookups)
    .then((facts) => {
      for (const warning of deployWarnings(config, facts)) void pulumi.log.warn(warning);
    })
    .catch((err: unknown) => void pulumi.log.debug(`deploy warnings: ${message(err)}`))
    .finally(done);
}
