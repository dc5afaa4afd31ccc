/**
 * The adapter every Step Functions Task Lambda shares: input checked against its state schema,
 * output checked against the next state's schema, errors reported with the contract's names.
 */
import type { ValidateFunction } from "ajv";
import { InternalError, ServiceError } from "./errors";
import { log } from "./log";
import { describeErrors } from "./validation";

export interface TaskSpec<I, O> {
  state: string;
  input: ValidateFunction<I>;
  output: ValidateFunction<O>;
  /** How a malformed input is reported. Only Validate faces outside input; elsewhere it is our bug. */
  badInput?: (description: string) => ServiceError;
}

export function taskHandler<I, O>(spec: TaskSpec<I, O>, fn: (input: I) => Promise<O>) {
  return async (event: unknown): Promise<O> => {
    const started = Date.now();
    const requestId = typeof event === "object" && event !== null && "requestId" in event ? event.requestId : undefined;
    try {
      if (!spec.input(event)) {
        const description = `${spec.state} input: ${describeErrors(spec.input.errors)}`;
        throw spec.badInput ? spec.badInput(description) : new InternalError(description);
      }
      const output = await fn(event);
      if (!spec.output(output)) {
        throw new InternalError(`${spec.state} output: ${describeErrors(spec.output.errors)}`);
      }
      log("info", "task", { state: spec.state, requestId, ms: Date.now() - started });
      return output;
    } catch (err) {
      const reported =
        err instanceof ServiceError
          ? err
          : new InternalError(`${spec.state} failed outside the contract`, { cause: err });
      const level = reported.status >= 500 ? "error" : "warn";
      log(level, "task failed", { state: spec.state, requestId, code: reported.name, ms: Date.now() - started, err });
      throw reported;
    }
  };
}
