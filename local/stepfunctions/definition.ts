/**
 * Reading the ASL definition: a shallow shape check (the interpreter's constructor runs the full
 * asl-validator) and a flat index of every state, nested Parallel/Map states included.
 */
import type { StateMachineDefinition } from "./interpreter";

export type StateDefinition = StateMachineDefinition["States"][string];

/** The interpreter's default when a Task has no TimeoutSeconds. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function isStateMachineDefinition(value: unknown): value is StateMachineDefinition {
  if (!isRecord(value) || typeof value["StartAt"] !== "string" || !isRecord(value["States"])) return false;
  return Object.values(value["States"]).every((s) => isRecord(s) && typeof s["Type"] === "string");
}

/** Every state by name, including those inside Parallel branches and Map processors. */
export function indexStates(definition: Pick<StateMachineDefinition, "States">): Map<string, StateDefinition> {
  const index = new Map<string, StateDefinition>();
  for (const [name, state] of Object.entries(definition.States)) {
    index.set(name, state);
    if (state.Type === "Parallel") for (const branch of state.Branches) indexInto(index, branch);
    if (state.Type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) indexInto(index, processor);
    }
  }
  return index;
}

function indexInto(index: Map<string, StateDefinition>, sub: Pick<StateMachineDefinition, "States">): void {
  for (const [name, state] of indexStates(sub)) index.set(name, state);
}

export interface TaskStateInfo {
  name: string;
  resource: string;
  timeoutMs: number;
}

export function taskStates(states: Map<string, StateDefinition>): TaskStateInfo[] {
  const tasks: TaskStateInfo[] = [];
  for (const [name, state] of states) {
    if (state.Type !== "Task") continue;
    const seconds = typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_SECONDS;
    tasks.push({ name, resource: state.Resource, timeoutMs: seconds * 1000 });
  }
  return tasks;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` -> name; anything else as is. */
export function functionNameOf(resource: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(resource);
  return match?.[1] ?? resource;
}
