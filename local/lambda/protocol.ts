/**
 * Messages between the local Lambda service and an execution environment (a child process), over
 * Node's IPC channel. They carry what Lambda's Runtime API carries: the event, the deadline, the
 * response or the function error, and what REPORT lines are made of.
 */
import type { LambdaErrorPayload } from "../stepfunctions/lambda";

export interface InvokeMessage {
  type: "invoke";
  id: number;
  requestId: string;
  event: unknown;
  /** The function's timeout; the environment's context counts down from when it receives the event. */
  timeoutMs: number;
}

export type EnvironmentMessage =
  /**
   * Init finished: `initMs` from the process's clock origin to the handler loaded (the service times Init from the
   * spawn).
   */
  | { type: "ready"; initMs: number }
  | { type: "initError"; error: LambdaErrorPayload; initMs: number }
  | { type: "result"; id: number; durationMs: number; maxMemoryMb: number; ok: true; response: unknown }
  | { type: "result"; id: number; durationMs: number; maxMemoryMb: number; ok: false; error: LambdaErrorPayload };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function isEnvironmentMessage(v: unknown): v is EnvironmentMessage {
  if (!isRecord(v)) return false;
  if (v["type"] === "ready") return typeof v["initMs"] === "number";
  if (v["type"] === "initError") return isRecord(v["error"]) && typeof v["initMs"] === "number";
  return v["type"] === "result" && typeof v["id"] === "number" && typeof v["durationMs"] === "number";
}

export function isInvokeMessage(v: unknown): v is InvokeMessage {
  return isRecord(v) && v["type"] === "invoke" && typeof v["id"] === "number" && typeof v["timeoutMs"] === "number";
}
