/**
 * The ASL interpreter (aws-local-stepfunctions), loaded as its CommonJS build. The package's type
 * declarations are ESM, which TypeScript's node16 mode refuses to `import` from a CommonJS file, so
 * the types come in as type-only imports and the value through require plus a type guard.
 */
import { createRequire } from "node:module";
import type * as Asl from "aws-local-stepfunctions" with { "resolution-mode": "import" };

export type AslModule = typeof Asl;
export type StateMachine = Asl.StateMachine;
export type StateMachineDefinition = Asl.StateMachineDefinition;
export type RunOptions = Asl.RunOptions;
export type EventLog = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

function isAslModule(value: unknown): value is AslModule {
  return (
    typeof value === "object" &&
    value !== null &&
    "StateMachine" in value &&
    typeof value.StateMachine === "function" &&
    "ExecutionError" in value &&
    typeof value.ExecutionError === "function" &&
    "ExecutionTimeoutError" in value &&
    typeof value.ExecutionTimeoutError === "function"
  );
}

const loaded: unknown = createRequire(__filename)("aws-local-stepfunctions");
if (!isAslModule(loaded))
  throw new Error("aws-local-stepfunctions does not export StateMachine: wrong version installed?");

/** The interpreter's exports: StateMachine and the error classes its runs reject with. */
export const asl: AslModule = loaded;
