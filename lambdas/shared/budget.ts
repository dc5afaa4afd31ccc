/**
 * The time budget of one GET /thumbnail, outermost last. Each layer must give up before the one
 * around it, so the client always gets our 504 rather than a gateway's bare timeout:
 * worst case of the workflow's retries <= state machine timeout < API function timeout < HTTP API limit.
 * test/workflow/budget.test.ts checks statemachine/ against these; the Pulumi program uses them.
 */
export const HTTP_API_TIMEOUT_SECONDS = 30; // API Gateway HTTP API's hard maximum
export const API_FUNCTION_TIMEOUT_SECONDS = 29;
export const STATE_MACHINE_TIMEOUT_SECONDS = 28;

/** Errors worth retrying: Lambda's own service faults and throttling, and our storage faults. */
export const TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  "ServiceUnavailable",
] as const;
