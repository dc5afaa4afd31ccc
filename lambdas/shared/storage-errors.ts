/**
 * How S3 failures map to the contract. The rule (docs/cases.md): 404 only when S3 says the key does not
 * exist; a storage fault is a 503 (retried by the workflow), never a 404; anything else is a bug.
 */
import { ServiceUnavailable } from "./errors";

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const asSdkError = (err: unknown): SdkErrorLike => (typeof err === "object" && err !== null ? err : {});

const statusOf = (err: unknown): number | undefined => asSdkError(err).$metadata?.httpStatusCode;

export function isNotFound(err: unknown): boolean {
  const { name } = asSdkError(err);
  return name === "NoSuchKey" || name === "NotFound" || (statusOf(err) === 404 && name !== "NoSuchBucket");
}

export function isPreconditionFailed(err: unknown): boolean {
  return asSdkError(err).name === "PreconditionFailed" || statusOf(err) === 412;
}

const TRANSIENT_NAMES = new Set([
  "SlowDown",
  "ServiceUnavailable",
  "InternalError",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ThrottlingException",
  "TooManyRequestsException",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ECONNABORTED",
]);

/** A fault of the storage or network, as opposed to a client mistake or our bug. */
export function isTransient(err: unknown): boolean {
  const e = asSdkError(err);
  const status = statusOf(err);
  return (
    (status !== undefined && (status >= 500 || status === 429)) ||
    (typeof e.name === "string" && TRANSIENT_NAMES.has(e.name)) ||
    (typeof e.code === "string" && NETWORK_CODES.has(e.code)) ||
    e.$retryable !== undefined
  );
}

/**
 * Rethrows `err` as ServiceUnavailable when it is transient; otherwise rethrows it unchanged (the
 * task wrapper reports unexpected errors as InternalError).
 */
export function rethrowStorageError(err: unknown, what: string): never {
  if (isTransient(err)) {
    throw ServiceUnavailable.storage(what, { cause: err });
  }
  throw err;
}
