/**
 * Errors of the Step Functions API as AWS answers them in the JSON 1.0 protocol: `name` is the
 * `__type` the SDK turns back into its exception class, `status` the HTTP status.
 */

export type SfnErrorType =
  | "InvalidArn"
  | "StateMachineDoesNotExist"
  | "InvalidExecutionInput"
  | "InvalidName"
  | "ValidationException"
  | "SerializationException"
  | "UnknownOperationException"
  | "ExecutionDoesNotExist"
  | "RequestEntityTooLargeException"
  | "InternalFailure";

export class SfnApiError extends Error {
  override readonly name: SfnErrorType;
  constructor(
    type: SfnErrorType,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** Raised at engine creation: the definition, ARN or handlers cannot work together. */
export class EngineConfigError extends Error {
  override readonly name = "EngineConfigError";
}
