/**
 * In-process Lambda invocation, shaped like the real one as Step Functions sees it: the event and the
 * result cross a JSON boundary, and a thrown error becomes a function error whose errorType is the
 * error's `name` and whose payload Step Functions puts, as JSON, in the Cause.
 */
import { randomUUID } from "node:crypto";
import { types } from "node:util";
import type { LocalLambdaContext, TaskHandler } from "./types";

/** The function-error payload of the Node.js runtime (aws-lambda-nodejs-runtime-interface-client). */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** A failed invocation as Step Functions receives it: Error = errorType, Cause = the payload as JSON. */
export class LambdaFunctionError extends Error {
  constructor(readonly payload: LambdaErrorPayload) {
    super(JSON.stringify(payload));
    this.name = payload.errorType;
  }
}

/** What the Node.js runtime reports for a thrown value (Error or not). */
export function toLambdaErrorPayload(thrown: unknown): LambdaErrorPayload {
  if (thrown instanceof Error || types.isNativeError(thrown)) {
    return {
      errorType: thrown.name,
      errorMessage: thrown.message,
      trace: thrown.stack ? thrown.stack.split("\n") : [],
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

/** JSON as the Lambda wire carries it (undefined becomes null, as the runtime sends it). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function overTheWire(value: unknown): Json {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new LambdaFunctionError({
      errorType: "Runtime.JSONStringifyError",
      errorMessage: "Unable to stringify response body",
      trace: [],
    });
  }
  return text === undefined ? null : JSON.parse(text);
}

export function lambdaContext(functionName: string, timeoutMs: number): LocalLambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: randomUUID(),
    functionName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Calls `handler` as Lambda would: a fresh copy of the event in, a JSON copy of the result out. */
export async function invokeLambda(handler: TaskHandler, event: unknown, context: LocalLambdaContext): Promise<Json> {
  const request = JSON.parse(JSON.stringify(event ?? null));
  let response: unknown;
  try {
    response = await handler(request, context);
  } catch (thrown) {
    throw new LambdaFunctionError(toLambdaErrorPayload(thrown));
  }
  return overTheWire(response);
}

/** A handler that fails as a function throwing `error` would (used by fault injection). */
export function failingHandler(error: { name: string; message?: string }): TaskHandler {
  return async () => {
    const thrown = new Error(error.message ?? `Injected fault: ${error.name}`);
    thrown.name = error.name;
    throw thrown;
  };
}
