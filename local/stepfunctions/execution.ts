/**
 * One synchronous Express execution: runs the shared StateMachine with this execution's Task
 * handlers, records its log, and turns the interpreter's outcome into AWS's result (status, error,
 * cause), adding what the interpreter lacks: the payload quota and Lambda's invocation semantics.
 */
import { expressBilling } from "./billing";
import { randomUUID } from "node:crypto";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import type { StateDefinition, TaskStateInfo } from "./definition";
import { functionNameOf } from "./definition";
import { ExecutionRecorder } from "./execution-recorder";
import type { FaultRegistry } from "./faults";
import type { RunOptions, StateMachine, StateMachineDefinition } from "./interpreter";
import { type Json, failingHandler, invokeLambda, lambdaContext } from "./lambda";
import { DataLimitExceeded, PAYLOAD_LIMIT_BYTES, checkPayload } from "./payload-limit";
import type { ExecutionLog, SyncExecutionResult, TaskHandler } from "./types";

export interface BoundTask extends TaskStateInfo {
  handler: TaskHandler;
}

/** What every execution of one engine shares; built once by createLocalStepFunctions. */
export interface EngineParts {
  machine: StateMachine;
  definition: StateMachineDefinition;
  states: Map<string, StateDefinition>;
  tasks: BoundTask[];
  faults: FaultRegistry;
  stateMachineArn: string;
  stateMachineName: string;
  retryIntervalOverrides?: Record<string, number | number[]>;
}

export interface ExecutionStart {
  name: string;
  inputText: string;
  input: Json;
}

type Outcome =
  { status: "SUCCEEDED"; output: Json } | { status: "FAILED" | "TIMED_OUT"; error?: string; cause?: string };

/**
 * How long to wait for the event stream to end once the result is in (it ends at once unless the interpreter broke).
 */
const LOG_DRAIN_GRACE_MS = 1000;

/** Thrown to an interpreter that calls a Task after the execution stopped (it retries after a timeout). */
class ExecutionStopped extends Error {
  override readonly name = "ExecutionStopped";
}

export async function runExecution(
  parts: EngineParts,
  start: ExecutionStart,
): Promise<{ result: SyncExecutionResult; log: ExecutionLog }> {
  // Express executions' ARNs: arn:<partition>:states:<region>:<account>:express:<machine>:<name>:<uuid>
  const executionArn = `${parts.stateMachineArn.replace(":stateMachine:", ":express:")}:${start.name}:${randomUUID()}`;
  const startDate = new Date();
  const recorder = new ExecutionRecorder();
  const run = { stopped: false };

  const options: RunOptions = {
    overrides: {
      taskResourceLocalHandlers: taskHandlers(parts, recorder, run),
      retryIntervalOverrides: parts.retryIntervalOverrides,
    },
    context: {
      Execution: { Id: executionArn, Name: start.name },
      StateMachine: { Id: parts.stateMachineArn, Name: parts.stateMachineName },
    },
  };

  let settled: { ok: true; output: Json } | { ok: false; error: unknown };
  let drained: Promise<void> = Promise.resolve();
  try {
    const execution = parts.machine.run(start.input, options);
    drained = recorder.consume(execution.eventLogs);
    settled = { ok: true, output: await execution.result };
  } catch (error) {
    settled = { ok: false, error };
  }
  run.stopped = true;
  const elapsedMs = Date.now() - startDate.getTime();
  const grace = new AbortController();
  await Promise.race([drained, sleep(LOG_DRAIN_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined)]);
  grace.abort();
  const stopDate = new Date();

  let outcome: Outcome = settled.ok
    ? { status: "SUCCEEDED", output: settled.output }
    : classifyFailure(settled.error, parts, recorder);
  outcome = enforceLimits(outcome, recorder, parts.definition, elapsedMs);
  const result: SyncExecutionResult = {
    executionArn,
    stateMachineArn: parts.stateMachineArn,
    name: start.name,
    startDate,
    stopDate,
    status: outcome.status,
    input: start.inputText,
    billingDetails: expressBilling(stopDate.getTime() - startDate.getTime()),
  };
  if (outcome.status === "SUCCEEDED") {
    result.output = JSON.stringify(outcome.output);
  } else {
    if (outcome.error !== undefined) result.error = outcome.error;
    if (outcome.cause !== undefined) result.cause = outcome.cause;
  }

  const log: ExecutionLog = {
    name: start.name,
    status: result.status,
    startDate: startDate.toISOString(),
    stopDate: stopDate.toISOString(),
    states: recorder.finish(stopDate.getTime()),
  };
  if (result.error !== undefined) log.error = result.error;
  if (result.cause !== undefined) log.cause = result.cause;
  return { result, log };
}

/** Each Task state's stand-in for its Lambda, bound to this execution. */
function taskHandlers(
  parts: EngineParts,
  recorder: ExecutionRecorder,
  run: { stopped: boolean },
): Record<string, (input: Json) => Promise<Json>> {
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  for (const task of parts.tasks) {
    handlers[task.name] = async (input) => {
      const context = lambdaContext(functionNameOf(task.resource), task.timeoutMs);
      // The interpreter calls this in the same turn it reports the previous state's output; one turn
      // later the recorder has seen that output, so an over-quota payload stops here, before any side effect.
      await nextTurn();
      if (recorder.overLimit) throw recorder.overLimit;
      checkPayload(task.name, "input", input); // the Task's input after InputPath/Parameters
      const fault = parts.faults.take(task.name);
      try {
        await fault?.spec.before?.();
        if (run.stopped) throw new ExecutionStopped(`execution stopped before ${task.name} was invoked`);
        const error = fault?.spec.error;
        const result = await invokeLambda(error ? failingHandler(error) : task.handler, input, context);
        checkPayload(task.name, "output", result);
        return result;
      } finally {
        fault?.finished();
      }
    };
  }
  return handlers;
}

/** The interpreter's rejection as AWS reports it. Matched by name: the classes differ between its builds. */
function classifyFailure(err: unknown, parts: EngineParts, recorder: ExecutionRecorder): Outcome {
  if (err instanceof Error && err.name === "ExecutionTimeoutError") {
    return {
      status: "TIMED_OUT",
      error: "States.Timeout",
      cause: `The execution ran longer than its TimeoutSeconds (${String(parts.definition.TimeoutSeconds)}).`,
    };
  }
  if (err instanceof Error && err.name === "ExecutionError" && err.cause instanceof Error) {
    const failure = err.cause;
    const fail = failStateOf(parts.states, recorder);
    if (fail) {
      // A Fail state without Error/Cause reports none on AWS; the interpreter fills in defaults.
      const outcome: Outcome = { status: "FAILED" };
      if ("Error" in fail || "ErrorPath" in fail) outcome.error = failure.name;
      if ("Cause" in fail || "CausePath" in fail) outcome.cause = failure.message;
      return outcome;
    }
    return { status: "FAILED", error: failure.name, cause: failure.message };
  }
  return { status: "FAILED", error: "States.Runtime", cause: err instanceof Error ? err.message : String(err) };
}

/** The Fail state that ended the execution, if one did (Fail states are terminal: it is the last one entered). */
function failStateOf(states: Map<string, StateDefinition>, recorder: ExecutionRecorder): StateDefinition | undefined {
  const last = recorder.lastEntry();
  const state = last === undefined ? undefined : states.get(last.state);
  return last?.type === "Fail" && state?.Type === "Fail" ? state : undefined;
}

/**
 * What the interpreter does not check: a payload over the quota fails the execution (whatever the
 * interpreter concluded after it), and an execution that outlived its TimeoutSeconds is never a success.
 */
function enforceLimits(
  outcome: Outcome,
  recorder: ExecutionRecorder,
  definition: StateMachineDefinition,
  elapsedMs: number,
): Outcome {
  if (recorder.overLimit)
    return { status: "FAILED", error: recorder.overLimit.name, cause: recorder.overLimit.message };
  if (outcome.status !== "SUCCEEDED") return outcome;
  const outputBytes = Buffer.byteLength(JSON.stringify(outcome.output), "utf8");
  if (outputBytes > PAYLOAD_LIMIT_BYTES) {
    const err = new DataLimitExceeded("(execution)", "output", outputBytes);
    return { status: "FAILED", error: err.name, cause: err.message };
  }
  if (definition.TimeoutSeconds !== undefined && elapsedMs > definition.TimeoutSeconds * 1000) {
    return {
      status: "TIMED_OUT",
      error: "States.Timeout",
      cause: `The execution ran longer than its TimeoutSeconds (${definition.TimeoutSeconds}).`,
    };
  }
  return outcome;
}
