/**
 * Every function at the memory `pulumi up` gives it: Init, first invocation and warm Duration over R
 * cold runs, and for each Task function its Init against its state's TimeoutSeconds. Step
 * Functions' TimeoutSeconds counts from when it invokes the function, so a cold Init spends the
 * budget the work needs, and States.Timeout is not retried (issue 11: Init at most 25% of it).
 */
import {
  FUNCTION_NAMES,
  TASK_FUNCTIONS,
  taskStateOf,
  type FunctionName,
  type TaskStateName,
} from "../../infra/catalog";
import { taskTimeoutSeconds } from "../../infra/definition";
import type { LocalLambda } from "../../local/lambda";
import type { Verdict } from "../targets";
import type { Workload } from "./events";
import { defaultMemoryMb } from "./functions";
import { ColdWarmRecorder, type ColdWarm, type MeasureOptions } from "./measure";

/**
 * Issue 11's target: a Task function's Init at its default memory is at most this share of its state's TimeoutSeconds.
 */
export const INIT_SHARE_OF_TIMEOUT_TARGET = 0.25;

export interface FunctionAtDefault extends ColdWarm {
  name: FunctionName;
  /** Task functions only. */
  taskState?: TaskStateName;
  taskTimeoutSeconds?: number;
  /** Init p50 and max over TimeoutSeconds. */
  initShareOfTimeout?: number;
  initMaxShareOfTimeout?: number;
}

const TASK_NAMES: readonly FunctionName[] = Object.values(TASK_FUNCTIONS);

export async function measureAtDefaults(
  lambda: LocalLambda,
  work: Record<FunctionName, Workload>,
  options: MeasureOptions,
  progress: (message: string) => void,
): Promise<FunctionAtDefault[]> {
  const recorders = FUNCTION_NAMES.map((name) => ({
    name,
    recorder: new ColdWarmRecorder(lambda.pool(name), defaultMemoryMb(name), work[name], options.warmPerRun),
  }));
  // Run r of every function, then run r + 1: the machine's load spreads over all of them.
  for (let r = 0; r < options.runs; r++) {
    progress(
      `  cold run ${r + 1} of ${options.runs}: ${FUNCTION_NAMES.map((n) => `${n} ${defaultMemoryMb(n)} MB`).join(", ")}`,
    );
    for (const { recorder } of recorders) await recorder.run();
  }
  const timeouts = taskTimeoutSeconds();
  return recorders.map(({ name, recorder }) => {
    const figures = recorder.result();
    if (!TASK_NAMES.includes(name)) return { name, ...figures };
    const taskState = taskStateOf(name);
    const seconds = timeouts[taskState];
    return {
      name,
      ...figures,
      taskState,
      taskTimeoutSeconds: seconds,
      initShareOfTimeout: figures.init.p50 / (seconds * 1000),
      initMaxShareOfTimeout: figures.init.max / (seconds * 1000),
    };
  });
}

export function initVerdicts(rows: readonly FunctionAtDefault[]): Verdict[] {
  return rows.flatMap((r) => {
    if (r.initShareOfTimeout === undefined || r.taskState === undefined) return [];
    const value = r.initShareOfTimeout;
    return [
      {
        kind: "target" as const,
        name: `Init p50 / ${r.taskState} TimeoutSeconds (${r.taskTimeoutSeconds ?? "?"} s), ${r.name} at ${r.memoryMb} MB, Lambda CPU`,
        value,
        op: "<=" as const,
        limit: INIT_SHARE_OF_TIMEOUT_TARGET,
        pass: Number.isFinite(value) && value <= INIT_SHARE_OF_TIMEOUT_TARGET,
      },
    ];
  });
}
