/**
 * Typed errors of the HTTP contract (DESIGN.md). Each class's `name` is the contract's error code:
 * Lambda reports `name` as `errorType`, Step Functions matches Retry/Catch on it, and the API maps it
 * back to a status. Names are string literals so that minifying bundlers cannot rename them.
 */

export const ERROR_STATUS = {
  ValidationError: 400,
  ImageNotFound: 404,
  SourceChanged: 409,
  UnsupportedImageType: 415,
  ImageTooLarge: 422,
  CorruptImage: 422,
  ServiceUnavailable: 503,
  WorkflowTimeout: 504,
  InternalError: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

/** Base class: a failure the contract knows how to answer. `message` is safe to show a client. */
export abstract class ServiceError extends Error {
  abstract override readonly name: ErrorCode;
  get status(): number {
    return ERROR_STATUS[this.name];
  }
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class ValidationError extends ServiceError {
  override readonly name = "ValidationError" as const;
}
export class ImageNotFound extends ServiceError {
  override readonly name = "ImageNotFound" as const;
}
export class SourceChanged extends ServiceError {
  override readonly name = "SourceChanged" as const;
}
export class UnsupportedImageType extends ServiceError {
  override readonly name = "UnsupportedImageType" as const;
}
export class ImageTooLarge extends ServiceError {
  override readonly name = "ImageTooLarge" as const;
}
export class CorruptImage extends ServiceError {
  override readonly name = "CorruptImage" as const;
}
/** Transient: storage or a dependency stayed unavailable. The workflow retries it. */
export class ServiceUnavailable extends ServiceError {
  override readonly name = "ServiceUnavailable" as const;
}
export class WorkflowTimeout extends ServiceError {
  override readonly name = "WorkflowTimeout" as const;
}
/** A bug. The message shown to clients is fixed; the cause is only logged. */
export class InternalError extends ServiceError {
  override readonly name = "InternalError" as const;
  constructor(cause?: unknown) {
    super("The service failed unexpectedly. Retry later or report the request id.", { cause });
  }
}
