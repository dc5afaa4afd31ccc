/**
 * The state machine definition as the program deploys it: statemachine/thumbnail.asl.json with each
 * catalog Task's function ARN filled in (by the same renderer local mode uses), and the timeouts the
 * rest of the program sizes itself from.
 */
import { DEFINITION_TEMPLATE, placeholderValues, renderDefinition } from "../statemachine/definition";
import { perTask, type TaskStateName } from "./catalog";

export { DefinitionRenderError } from "../statemachine/definition";

export class DefinitionShapeError extends Error {
  override readonly name = "DefinitionShapeError";
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parse(definition: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(definition);
  if (!isRecord(parsed) || !isRecord(parsed["States"])) throw new DefinitionShapeError("definition has no States");
  return parsed;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new DefinitionShapeError(`${what} must be a positive integer TimeoutSeconds`);
  }
  return value;
}

/** The state machine's own TimeoutSeconds: the whole execution's budget. */
export function stateMachineTimeoutSeconds(definition: string = DEFINITION_TEMPLATE): number {
  return positiveInteger(parse(definition)["TimeoutSeconds"], "the state machine");
}

/** Each Task state's TimeoutSeconds, by state name. */
export function taskTimeoutSeconds(definition: string = DEFINITION_TEMPLATE): Record<TaskStateName, number> {
  const states = parse(definition)["States"];
  const timeout = (name: TaskStateName): number => {
    const state = isRecord(states) ? states[name] : undefined;
    if (!isRecord(state) || state["Type"] !== "Task") throw new DefinitionShapeError(`no Task state ${name}`);
    return positiveInteger(state["TimeoutSeconds"], `Task ${name}`);
  };
  return perTask((task) => timeout(task.state));
}

/** The deployable definition: every placeholder filled, no value left over (else DefinitionRenderError). */
export function renderStateMachineDefinition(
  arns: Record<TaskStateName, string>,
  template: string = DEFINITION_TEMPLATE,
): string {
  return renderDefinition(placeholderValues(arns), template);
}
