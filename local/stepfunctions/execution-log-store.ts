/** Finished executions' logs by name, bounded: past `limit` the oldest is dropped. */
import type { ExecutionLog } from "./types";

export class ExecutionLogStore {
  private readonly logs = new Map<string, ExecutionLog>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`logLimit must be a positive integer, got ${limit}`);
  }

  /** A name seen again replaces the old log (Express sync executions do not dedupe by name). */
  put(log: ExecutionLog): void {
    this.logs.delete(log.name);
    this.logs.set(log.name, log);
    for (const oldest of this.logs.keys()) {
      if (this.logs.size <= this.limit) break;
      this.logs.delete(oldest);
    }
  }

  get(name: string): ExecutionLog | undefined {
    return this.logs.get(name);
  }

  get size(): number {
    return this.logs.size;
  }
}
