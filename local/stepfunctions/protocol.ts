/**
 * The AWS JSON 1.0 wire format of StartSyncExecution, as @aws-sdk/client-sfn sends and reads it:
 * request bodies narrowed from unknown JSON, results with dates as epoch seconds.
 */
import { SfnApiError } from "./api-errors";
import type { StartSyncExecutionInput, SyncExecutionResult } from "./types";

export const TARGET_PREFIX = "AWSStepFunctions.";
export const CONTENT_TYPE = "application/x-amz-json-1.0";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new SfnApiError("SerializationException", `${field}: expected a string`);
  return value;
}

export function parseStartSyncExecution(bodyText: string): StartSyncExecutionInput {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw new SfnApiError("SerializationException", "Request body is not valid JSON");
  }
  if (!isRecord(body)) throw new SfnApiError("SerializationException", "Request body must be a JSON object");
  const stateMachineArn = optionalString(body, "stateMachineArn");
  if (stateMachineArn === undefined) {
    throw new SfnApiError(
      "ValidationException",
      "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    );
  }
  const request: StartSyncExecutionInput = { stateMachineArn };
  const name = optionalString(body, "name");
  const input = optionalString(body, "input");
  const traceHeader = optionalString(body, "traceHeader");
  if (name !== undefined) request.name = name;
  if (input !== undefined) request.input = input;
  if (traceHeader !== undefined) request.traceHeader = traceHeader;
  return request;
}

const epochSeconds = (date: Date): number => date.getTime() / 1000;

/** The response body AWS sends (dates as epoch seconds, payload details as on AWS). */
export function serializeSyncResult(result: SyncExecutionResult, traceHeader?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    executionArn: result.executionArn,
    stateMachineArn: result.stateMachineArn,
    name: result.name,
    startDate: epochSeconds(result.startDate),
    stopDate: epochSeconds(result.stopDate),
    status: result.status,
    input: result.input,
    inputDetails: { included: true },
    billingDetails: result.billingDetails,
  };
  if (result.output !== undefined) {
    body["output"] = result.output;
    body["outputDetails"] = { included: true };
  }
  if (result.error !== undefined) body["error"] = result.error;
  if (result.cause !== undefined) body["cause"] = result.cause;
  if (traceHeader !== undefined) body["traceHeader"] = traceHeader;
  return body;
}

export function serializeError(error: SfnApiError): Record<string, unknown> {
  return { __type: error.name, message: error.message };
}
