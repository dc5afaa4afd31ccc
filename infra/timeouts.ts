/**
 * Each function's timeout and the time budget they nest in. A task function's timeout follows its
 * Task state's TimeoutSeconds in statemachine/, an API function's is its catalog entry's; every
 * number is checked against the definition by test/infra/budget.test.ts.
 */
import { HTTP_API_TIMEOUT_SECONDS } from "../lambdas/shared/budget";
import { entryOf, type FunctionName } from "./catalog";
import { stateMachineTimeoutSeconds, taskTimeoutSeconds } from "./definition";

/** HTTP APIs cut every integration off at 30 s; the most they allow. */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = HTTP_API_TIMEOUT_SECONDS * 1000;

/**
 * A task function's own timeout sits just above its Task's TimeoutSeconds, so Step Functions' timeout
 * is the one that fires (States.Timeout, caught as WorkflowTimeout) and never Lambda's.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 1;

export function functionTimeoutSeconds(name: FunctionName): number {
  const entry = entryOf(name);
  if (entry.kind === "api") return entry.timeoutSeconds;
  return taskTimeoutSeconds()[entry.state] + TASK_TIMEOUT_MARGIN_SECONDS;
}

/** The time budget, outermost last: each must be strictly inside the next. */
export function timeBudget(): { stateMachineSeconds: number; apiFunctionSeconds: number; integrationSeconds: number } {
  return {
    stateMachineSeconds: stateMachineTimeoutSeconds(),
    apiFunctionSeconds: functionTimeoutSeconds("thumbnail"),
    integrationSeconds: HTTP_API_INTEGRATION_TIMEOUT_MS / 1000,
  };
}
