/**
 * Counts TCP connections accepted by each server of this process while a window is open, through
 * Node's built-in `net.server.socket` diagnostics channel (no server needs to expose itself). With
 * keep-alive clients reused across invocations, a run of N requests opens no new connections once
 * warm; a client created per invocation would open several per request.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { Socket } from "node:net";
import { isRecord } from "./child-process";

const CHANNEL = "net.server.socket";

export class SocketCounter {
  private readonly byPort = new Map<number, number>();
  private readonly listener = (message: unknown): void => {
    if (!isRecord(message) || !(message["socket"] instanceof Socket)) return;
    const port = message["socket"].localPort;
    if (port !== undefined) this.byPort.set(port, (this.byPort.get(port) ?? 0) + 1);
  };

  start(): void {
    subscribe(CHANNEL, this.listener);
  }

  stop(): void {
    unsubscribe(CHANNEL, this.listener);
  }

  /** Connections per named port; everything else (s3rver behind the gate) as "other". */
  counts(ports: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    let other = 0;
    const named = new Map(Object.entries(ports).map(([name, port]) => [port, name]));
    for (const name of Object.keys(ports)) out[name] = 0;
    for (const [port, n] of this.byPort) {
      const name = named.get(port);
      if (name === undefined) other += n;
      else out[name] = (out[name] ?? 0) + n;
    }
    out["s3rver (behind the gate)"] = other;
    return out;
  }
}

export const portOf = (url: string): number => Number(new URL(url).port);
