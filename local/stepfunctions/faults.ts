/**
 * Fault injection into Task invocations (local tooling for tests; production code never sees it).
 * Faults apply to every execution of the engine, first added first matched.
 */
import type { FaultHandle, FaultSpec, TaskFaults } from "./types";

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
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
    if (spec.delayMs !== undefined && !(spec.delayMs >= 0)) {
      throw new FaultInjectionError(`delayMs must be >= 0, got ${String(spec.delayMs)}`);
    }
    if (spec.error === undefined && spec.delayMs === undefined) {
      throw new FaultInjectionError("a fault needs an error, a delayMs, or both");
    }
    const fault: ActiveFault = { spec: { ...spec, error: spec.error && { ...spec.error } }, remaining: times };
    this.active.add(fault);
    return { remove: () => void this.active.delete(fault) };
  }

  clear(): void {
    this.active.clear();
  }

  /** The first fault for `state`, consuming one of its `times` (dropped when used up). */
  take(state: string): FaultSpec | undefined {
    for (const fault of this.active) {
      if (fault.spec.state !== state) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.active.delete(fault);
      return fault.spec;
    }
    return undefined;
  }
}
