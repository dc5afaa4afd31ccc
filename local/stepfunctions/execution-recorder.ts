/**
 * Builds one execution's state-by-state log from the interpreter's event stream, and spots payloads
 * over the quota there (the interpreter itself never checks sizes).
 */
import type { EventLog } from "./interpreter";
import { DataLimitExceeded, PAYLOAD_LIMIT_BYTES, jsonBytes } from "./payload-limit";
import type { StateLogEntry } from "./types";

const causeText = (cause: unknown): string | undefined =>
  cause === undefined ? undefined : typeof cause === "string" ? cause : JSON.stringify(cause);

export class ExecutionRecorder {
  private readonly entries: StateLogEntry[] = [];
  /** Entries entered but not exited, by state name (and Map iteration index). */
  private readonly open = new Map<string, StateLogEntry>();
  private overLimitEntry?: StateLogEntry;
  /** The first state input or output over the quota, if any. */
  overLimit?: DataLimitExceeded;

  /** Reads the stream to its end (the interpreter closes it when the execution stops). */
  async consume(events: AsyncGenerator<EventLog>): Promise<void> {
    for await (const event of events) this.record(event);
  }

  record(event: EventLog): void {
    switch (event.type) {
      case "StateEntered": {
        const { name, type, input } = event.state;
        const entry: StateLogEntry = {
          state: name,
          type,
          enteredAt: event.timestamp,
          durationMs: 0,
          inputBytes: jsonBytes(input),
          retries: 0,
        };
        this.entries.push(entry);
        this.open.set(keyOf(name, event.index), entry);
        this.checkLimit(entry, "input", entry.inputBytes);
        break;
      }
      case "StateFailed": {
        const entry = this.open.get(keyOf(event.state.name, event.index));
        if (entry) {
          entry.error = event.Error;
          entry.cause = causeText(event.Cause);
        }
        break;
      }
      case "StateRetried": {
        const entry = this.open.get(keyOf(event.state.name, event.index));
        if (entry) {
          entry.retries += 1;
          delete entry.error; // retried away; only a final failure stays on the entry
          delete entry.cause;
        }
        break;
      }
      case "StateExited": {
        const key = keyOf(event.state.name, event.index);
        const entry = this.open.get(key);
        if (entry) {
          entry.outputBytes = jsonBytes(event.state.output);
          entry.durationMs = event.timestamp - entry.enteredAt;
          this.open.delete(key);
          this.checkLimit(entry, "output", entry.outputBytes);
        }
        break;
      }
      case "ExecutionTimeout":
        for (const entry of this.open.values()) {
          entry.error ??= "States.Timeout";
        }
        this.closeOpen(event.timestamp);
        break;
      case "ExecutionSucceeded":
      case "ExecutionFailed":
      case "ExecutionAborted":
        this.closeOpen(event.timestamp);
        break;
      default:
        break; // ExecutionStarted, StateCaught, Map/Parallel bookkeeping: nothing to add
    }
  }

  /**
   * The log as AWS would have it: entries still open get their duration up to `stoppedAt`, and an
   * over-quota payload ends the log at the state that produced it (later entries never happened).
   */
  finish(stoppedAt: number): StateLogEntry[] {
    this.closeOpen(stoppedAt);
    if (this.overLimit && this.overLimitEntry) {
      const at = this.entries.indexOf(this.overLimitEntry);
      this.entries.splice(at + 1);
      this.overLimitEntry.error = this.overLimit.name;
      this.overLimitEntry.cause = this.overLimit.message;
    }
    return this.entries;
  }

  lastEntry(): StateLogEntry | undefined {
    return this.entries.at(-1);
  }

  private checkLimit(entry: StateLogEntry, kind: "input" | "output", bytes: number): void {
    if (this.overLimit || bytes <= PAYLOAD_LIMIT_BYTES) return;
    this.overLimit = new DataLimitExceeded(entry.state, kind, bytes);
    this.overLimitEntry = entry;
  }

  private closeOpen(at: number): void {
    for (const entry of this.open.values()) entry.durationMs = Math.max(0, at - entry.enteredAt);
    this.open.clear();
  }
}

const keyOf = (state: string, index: number | undefined): string => (index === undefined ? state : `${index}/${state}`);
