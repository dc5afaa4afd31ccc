/**
 * createLocalStepFunctions: the definition is checked and the interpreter's StateMachine built once
 * per engine; each StartSyncExecution is validated as AWS validates it and then run in-process.
 */
import { randomUUID } from "node:crypto";
import { EngineConfigError, SfnApiError } from "./api-errors";
import { indexStates, isStateMachineDefinition, taskStates } from "./definition";
import { type BoundTask, runExecution } from "./execution";
import { ExecutionLogStore } from "./execution-log-store";
import { FaultRegistry } from "./faults";
import { asl } from "./interpreter";
import {
  checkExecutionName,
  checkStateMachineArn,
  parseExecutionInput,
  parseStateMachineArn,
} from "./request-validation";
import type { EngineOptions, LocalStepFunctions, StartSyncExecutionInput, SyncExecutionResult } from "./types";

const DEFAULT_LOG_LIMIT = 1000;

export function createLocalStepFunctions(options: EngineOptions): LocalStepFunctions {
  const { definition, stateMachineArn, handlers } = options;
  if (!isStateMachineDefinition(definition)) {
    throw new EngineConfigError("definition is not an ASL state machine (it needs StartAt and States)");
  }
  const arn = parseStateMachineArn(stateMachineArn);
  if (!arn) throw new EngineConfigError(`stateMachineArn is not a state machine ARN: ${stateMachineArn}`);

  const states = indexStates(definition);
  const tasks: BoundTask[] = taskStates(states).map((task) => {
    const handler = Object.hasOwn(handlers, task.name) ? handlers[task.name] : undefined;
    if (!handler) throw new EngineConfigError(`no handler for Task state ${task.name}`);
    return { ...task, handler };
  });
  const strays = Object.keys(handlers).filter((name) => !tasks.some((t) => t.name === name));
  if (strays.length > 0)
    throw new EngineConfigError(`handlers for states that are not Task states: ${strays.join(", ")}`);

  const logs = new ExecutionLogStore(options.logLimit ?? DEFAULT_LOG_LIMIT);
  const faults = new FaultRegistry();
  const parts = {
    // Validated by asl-validator inside the constructor, with ARN checks on: the rendered definition
    // must carry well-formed Lambda ARNs, as on AWS.
    machine: new asl.StateMachine(definition),
    definition,
    states,
    tasks,
    faults,
    stateMachineArn,
    stateMachineName: arn.name,
    retryIntervalOverrides: options.retryIntervalOverrides,
  };

  return {
    faults,
    getExecutionLog: (name) => logs.get(name),
    async startSyncExecution(request: StartSyncExecutionInput): Promise<SyncExecutionResult> {
      checkStateMachineArn(request.stateMachineArn);
      if (request.stateMachineArn !== stateMachineArn) {
        throw new SfnApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${request.stateMachineArn}'`);
      }
      const name = request.name ?? randomUUID();
      checkExecutionName(name);
      const inputText = request.input ?? "{}";
      const input = parseExecutionInput(inputText);
      const { result, log } = await runExecution(parts, { name, inputText, input });
      logs.put(log);
      return result;
    },
  };
}
