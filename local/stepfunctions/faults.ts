/**
 * Fault injection into Task invocations (local tooling for tests; production code never sees it).
 * Faults apply to every execution of the engine, first added first matched.
 */
import type { FaultHandle, FaultSpec, TaskFaults } from "./types";

class ActiveFault {
  /** Uses left before the fault is dropped. */
  remaining: number;
  /** Invocations it affects that have not finished yet. */
  inFlight = 0;
  removed = false;
  private settle: () => void = () => undefined;
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    readonly spec: FaultSpec,
    times: number,
  ) {
    this.remaining = times;
  }

  /** Settles `settled` once the fault can affect nothing more and nothing it affected is running. */
  check(): void {
    if ((this.removed || this.remaining <= 0) && this.inFlight === 0) this.settle();
  }
}

/** One use of a fault by one invocation; `finished()` when that invocation is over, however it ended. */
export interface TakenFault {
  spec: FaultSpec;
  finished(): void;
}

export class FaultInjectionError extends Error {
  override readonly name = "FaultInjectionError";
}

export class FaultRegistry implements TaskFaults {
  private readonly active = new Set<ActiveFault>();

  add(spec: FaultSpec): FaultHandle {
    const times = spec.times ?? Infinity;
    if (!(times >= 1) || (Number.isFinite(times) && !Number.isInteger(times))) {
      throw new FaultInjectionError(`times must be a positive integer, got ${String(spec.times)}`);
    }
    if (spec.error === undefined && spec.before === undefined) {
      throw new FaultInjectionError("a fault needs an error, a before hook, or both");
    }
    const fault = new ActiveFault({ ...spec, error: spec.error && { ...spec.error } }, times);
    this.active.add(fault);
    return { remove: () => this.drop(fault), settled: fault.settled };
  }

  clear(): void {
    for (const fault of [...this.active]) this.drop(fault);
  }

  /** The first fault for `state`, consuming one of its `times` (dropped when used up). */
  take(state: string): TakenFault | undefined {
    for (const fault of this.active) {
      if (fault.spec.state !== state) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.active.delete(fault);
      fault.inFlight += 1;
      let done = false;
      return {
        spec: fault.spec,
        finished: () => {
          if (done) return;
          done = true;
          fault.inFlight -= 1;
          fault.check();
        },
      };
    }
    return undefined;
  }

  private drop(fault: ActiveFault): void {
    this.active.delete(fault);
    fault.removed = true;
    fault.check();
  }
}
