/** Holding a Task of the local Step Functions on an event, for tests of timeouts and races. */
import type { TaskFaults } from "../../local/stepfunctions";
import { deferred } from "./deferred";

export interface HeldTask {
  /** Resolves when the first held invocation has been reached. */
  reached: Promise<void>;
  /** Holds nothing more, lets the held invocations go on, and resolves once every one of them has finished. */
  release(): Promise<void>;
}

/**
 * Holds the next `times` invocations of `state` until `release()`: a TimeoutSeconds runs out while
 * the Task is held, whatever the machine's load, where a sleep longer than the timeout would race it.
 */
export function holdTask(faults: TaskFaults, state: string, times = 1): HeldTask {
  const gate = deferred();
  const reached = deferred();
  const fault = faults.add({
    state,
    times,
    before: () => {
      reached.resolve();
      return gate.promise;
    },
  });
  return {
    reached: reached.promise,
    async release() {
      fault.remove();
      gate.resolve();
      await fault.settled;
    },
  };
}
