/**
 * The service's functions and the time budget they live in. Every number here is derived from, or
 * checked against, the definition in statemachine/ (test/infra/budget.test.ts).
 */
import { API_FUNCTION_TIMEOUT_SECONDS, HTTP_API_TIMEOUT_SECONDS } from "../lambdas/shared/budget";
import { stateMachineTimeoutSeconds, taskTimeoutSeconds, type TaskStateName } from "./definition";

/** One bundle and one Lambda per name, built from lambdas/<name>/handler.ts. */
export const FUNCTION_NAMES = [
  "presign",
  "config",
  "thumbnail",
  "validate",
  "fetch",
  "resize",
  "store-public",
  "return-url",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The function behind each Task state. */
export const TASK_FUNCTIONS = {
  Validate: "validate",
  Fetch: "fetch",
  Resize: "resize",
  StorePublic: "store-public",
  ReturnUrl: "return-url",
} as const satisfies Record<TaskStateName, FunctionName>;

/** The function behind each HTTP API route. */
export const API_ROUTES = {
  "GET /uploadURL": "presign",
  "GET /config": "config",
  "GET /thumbnail": "thumbnail",
} as const satisfies Record<string, FunctionName>;

export type ApiFunctionName = (typeof API_ROUTES)[keyof typeof API_ROUTES];

/**
 * The routes that need a token when the stack sets jwtIssuer/jwtAudience (the local app applies the
 * same list). /config stays public: the page needs it before anyone signs in.
 */
export const AUTHORIZED_ROUTES = ["GET /uploadURL", "GET /thumbnail"] as const satisfies readonly (keyof typeof API_ROUTES)[];

/** HTTP APIs cut every integration off at 30 s; the most they allow. */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = HTTP_API_TIMEOUT_SECONDS * 1000;

/** Below the integration timeout, so the function answers (504 WorkflowTimeout) before API Gateway gives up. */
export const THUMBNAIL_API_TIMEOUT_SECONDS = API_FUNCTION_TIMEOUT_SECONDS;

/** presign and config only sign or echo; 5 s covers a cold start with room to spare. */
const LIGHT_API_TIMEOUT_SECONDS = 5;

/**
 * A task function's own timeout sits just above its Task's TimeoutSeconds, so Step Functions' timeout
 * is the one that fires (States.Timeout, caught as WorkflowTimeout) and never Lambda's.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 1;

export function functionTimeoutSeconds(name: FunctionName): number {
  if (name === "thumbnail") return THUMBNAIL_API_TIMEOUT_SECONDS;
  if (name === "presign" || name === "config") return LIGHT_API_TIMEOUT_SECONDS;
  const tasks = taskTimeoutSeconds();
  const state = taskStateOf(name);
  return tasks[state] + TASK_TIMEOUT_MARGIN_SECONDS;
}

export function taskStateOf(name: FunctionName): TaskStateName {
  for (const [state, fn] of Object.entries(TASK_FUNCTIONS)) {
    if (fn === name && isTaskState(state)) return state;
  }
  throw new Error(`${name} is not a task function`);
}

function isTaskState(state: string): state is TaskStateName {
  return Object.prototype.hasOwnProperty.call(TASK_FUNCTIONS, state);
}

export function functionMemoryMb(name: FunctionName, sizes: { memoryMb: number; resizeMemoryMb: number }): number {
  return name === "resize" ? sizes.resizeMemoryMb : sizes.memoryMb;
}

/** The time budget, outermost last: each must be strictly inside the next. */
export function timeBudget(): { stateMachineSeconds: number; apiFunctionSeconds: number; integrationSeconds: number } {
  return {
    stateMachineSeconds: stateMachineTimeoutSeconds(),
    apiFunctionSeconds: THUMBNAIL_API_TIMEOUT_SECONDS,
    integrationSeconds: HTTP_API_INTEGRATION_TIMEOUT_MS / 1000,
  };
}
