/**
 * Typed errors of the HTTP contract (docs/http-contract.md). Each class's `name` is the contract's error code:
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

/**
 * Base class: a failure the contract knows how to answer. `message` says what happened; `publicMessage`
 * is what a client is shown (the same text, except for InternalError); `cause` (the standard
 * ErrorOptions, as Powertools uses it) keeps what went wrong underneath, for the logs. Messages used in
 * more than one place are made here, by the factories beside each class, so each is written once.
 */
export abstract class ServiceError extends Error {
  abstract override readonly name: ErrorCode;
  get status(): number {
    return ERROR_STATUS[this.name];
  }
  /** The text the API puts in its error body. */
  get publicMessage(): string {
    return this.message;
  }
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export class ValidationError extends ServiceError {
  override readonly name = "ValidationError" as const;
}
export class ImageNotFound extends ServiceError {
  override readonly name = "ImageNotFound" as const;
  /** Fetch found no such upload. */
  static noUpload(imageName: string, options?: ErrorOptions): ImageNotFound {
    return new ImageNotFound(`No upload named '${imageName}' exists.`, options);
  }
  /** The upload Fetch saw was gone when Resize read it. */
  static deleted(imageName: string, options?: ErrorOptions): ImageNotFound {
    return new ImageNotFound(`'${imageName}' was deleted.`, options);
  }
}
export class SourceChanged extends ServiceError {
  override readonly name = "SourceChanged" as const;
  /** The upload no longer has the ETag Fetch pinned. */
  static replaced(imageName: string, options?: ErrorOptions): SourceChanged {
    return new SourceChanged(`'${imageName}' was replaced while its thumbnail was being made; retry.`, options);
  }
}
export class UnsupportedImageType extends ServiceError {
  override readonly name = "UnsupportedImageType" as const;
}
export class ImageTooLarge extends ServiceError {
  override readonly name = "ImageTooLarge" as const;
  /** An upload over maxUploadBytes (Fetch's HEAD, or Resize's GET if it grew in between). */
  static upload(bytes: number, limitBytes: number, options?: ErrorOptions): ImageTooLarge {
    return new ImageTooLarge(`The upload is ${bytes} bytes; the limit is ${limitBytes} bytes.`, options);
  }
  /** Decoding and resizing outran the processing timeout (sharp's own, or the wall-clock deadline). */
  static tookTooLong(seconds: number, options?: ErrorOptions): ImageTooLarge {
    return new ImageTooLarge(
      `The image took longer than ${seconds} s to process (the limit); it is too large or too complex.`,
      options,
    );
  }
}
export class CorruptImage extends ServiceError {
  override readonly name = "CorruptImage" as const;
}
/** Transient: storage or a dependency stayed unavailable. The workflow retries it. */
export class ServiceUnavailable extends ServiceError {
  override readonly name = "ServiceUnavailable" as const;
  /** What the API answers when a dependency (the workflow service, or storage behind it) is down. */
  static readonly DEPENDENCY_MESSAGE = "The service is busy or a dependency is unavailable; retry shortly.";
  static dependency(options?: ErrorOptions): ServiceUnavailable {
    return new ServiceUnavailable(ServiceUnavailable.DEPENDENCY_MESSAGE, options);
  }
  /** A Task's storage call failed transiently while `what` ("reading the upload"). */
  static storage(what: string, options?: ErrorOptions): ServiceUnavailable {
    return new ServiceUnavailable(`Storage is unavailable (${what}); retry later.`, options);
  }
}
/** The workflow, or a Task in it, ran out of time. One message whichever clock ran out. */
export class WorkflowTimeout extends ServiceError {
  override readonly name = "WorkflowTimeout" as const;
  static readonly MESSAGE = "The thumbnail took too long to make; retry later.";
  constructor(options?: ErrorOptions) {
    super(WorkflowTimeout.MESSAGE, options);
  }
}
/**
 * A bug. `message` is the internal description (what broke, for the logs, the stack trace and the
 * execution history); clients only ever see PUBLIC_MESSAGE, through `publicMessage`, which is what
 * the API's error body uses (api.ts). Keeping the real text in `message` means every logger shows
 * it without knowing this class; the one place that talks to clients is the one that must not.
 */
export class InternalError extends ServiceError {
  override readonly name = "InternalError" as const;
  static readonly PUBLIC_MESSAGE = "The service failed unexpectedly. Retry later or report the request id.";
  override get publicMessage(): string {
    return InternalError.PUBLIC_MESSAGE;
  }
}
