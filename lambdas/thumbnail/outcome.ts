/**
 * Maps a finished synchronous execution to the contract. A FAILED or TIMED_OUT execution is never
 * answered with 200, and only client errors carry the workflow's message (5xx messages are fixed).
 */
import {
  ERROR_STATUS,
  ImageNotFound,
  ImageTooLarge,
  CorruptImage,
  InternalError,
  ServiceError,
  ServiceUnavailable,
  SourceChanged,
  UnsupportedImageType,
  ValidationError,
  WorkflowTimeout,
  isErrorCode,
  type ErrorCode,
} from "../shared/errors";
import type { ThumbnailResult } from "../shared/types";
import { describeErrors } from "../shared/validation";
import * as validators from "../shared/validators";

export interface ExecutionOutcome {
  status?: string;
  output?: string;
  error?: string;
  cause?: string;
}

const CLIENT_ERRORS = new Map<ErrorCode, new (message: string) => ServiceError>([
  ["ValidationError", ValidationError],
  ["ImageNotFound", ImageNotFound],
  ["SourceChanged", SourceChanged],
  ["UnsupportedImageType", UnsupportedImageType],
  ["ImageTooLarge", ImageTooLarge],
  ["CorruptImage", CorruptImage],
]);

const MAX_MESSAGE_LENGTH = 500;

/** Lambda failures arrive as a JSON Cause `{errorType, errorMessage, trace}`; only errorMessage is shown. */
export function messageFromCause(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  let message: unknown = cause;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === "object" && parsed !== null && "errorMessage" in parsed) message = parsed.errorMessage;
  } catch {
    // Not JSON: a Fail state's own Cause string.
  }
  return typeof message === "string" ? message.slice(0, MAX_MESSAGE_LENGTH) : undefined;
}

function failure(code: string | undefined, cause: string | undefined): ServiceError {
  if (code === "States.Timeout") return new WorkflowTimeout();
  if (!isErrorCode(code)) return new InternalError(`execution failed with ${code ?? "no error"}`);
  const ClientError = CLIENT_ERRORS.get(code);
  if (ClientError) return new ClientError(messageFromCause(cause) ?? `${code} (${ERROR_STATUS[code]})`);
  if (code === "ServiceUnavailable") return ServiceUnavailable.dependency();
  if (code === "WorkflowTimeout") return new WorkflowTimeout();
  return new InternalError(`execution failed with ${code}`);
}

export function outcomeToResult(outcome: ExecutionOutcome): ThumbnailResult {
  switch (outcome.status) {
    case "SUCCEEDED": {
      let output: unknown;
      try {
        output = JSON.parse(outcome.output ?? "");
      } catch (err) {
        throw new InternalError("the execution's output is not JSON", { cause: err });
      }
      if (!validators.thumbnailResult(output)) {
        throw new InternalError(`execution output: ${describeErrors(validators.thumbnailResult.errors)}`);
      }
      return output;
    }
    case "TIMED_OUT":
      throw new WorkflowTimeout();
    case "FAILED":
      throw failure(outcome.error, outcome.cause);
    default:
      throw new InternalError(`unexpected execution status ${String(outcome.status)}`);
  }
}
