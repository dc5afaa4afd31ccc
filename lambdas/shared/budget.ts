/**
 * The time budget of one GET /thumbnail, outermost last. Each layer must give up before the one
 * around it, so the client always gets our 504 rather than a gateway's bare timeout:
 * worst case of the workflow's retries <= state machine timeout < API function timeout < HTTP API limit.
 * test/unit/workflow/budget.test.ts checks statemachine/ against these; the Pulumi program uses them.
 */
export const HTTP_API_TIMEOUT_SECONDS = 30; // API Gateway HTTP API's hard maximum
export const API_FUNCTION_TIMEOUT_SECONDS = 29;
export const STATE_MACHINE_TIMEOUT_SECONDS = 28;
/**
 * The thumbnail function's own cold start happens before its 29 s even start, but inside API
 * Gateway's 30 s: Init + the state machine's 28 s must leave the function time to answer. The
 * benchmark measures its Init at its default memory against this (bench/README.md).
 */
export const API_FUNCTION_INIT_BUDGET_SECONDS = 1;

/**
 * Errors worth retrying: Lambda's own service faults and throttling, and our storage faults. Every
 * Task also retries States.Timeout (RETRIED_TIMEOUT) once: each is idempotent (reads, a pure check,
 * a write to a fresh staging key, a copy to an immutable key), and a timed-out attempt is most
 * often a cold start or a slow storage call that the next attempt does not meet.
 * The list is written here once. ASL cannot refer to it, so each Task state repeats it in its Retry
 * and in the Catch that ends in ServiceUnavailable; test/unit/workflow/transient-errors.test.ts checks
 * every copy against this one.
 */
export const TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  "ServiceUnavailable",
] as const;

/** A Task's own timeout, retried in the same retrier as the transient errors (one retry in all). */
export const RETRIED_TIMEOUT = "States.Timeout";
