/**
 * Public shapes of the local Step Functions: what the app server, the local runtime and the tests
 * program against. The result mirrors AWS's StartSyncExecution response so code written for the
 * real service reads it unchanged.
 */
import type { BillingDetails } from "./billing";

/** A Task's local stand-in for a Lambda handler, called in-process. */
export type TaskHandler = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

/** The part of Lambda's context object the project's handlers use. */
export interface LocalLambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export interface EngineOptions {
  /** ASL with Resources already rendered (fake lambda ARNs). */
  definition: object;
  /** e.g. arn:aws:states:us-east-1:000000000000:stateMachine:thumbnail-local */
  stateMachineArn: string;
  /** By Task state NAME (e.g. "Validate"); every Task state must have one. */
  handlers: Record<string, TaskHandler>;
  /** Milliseconds, passed to the interpreter (tests use 0). */
  retryIntervalOverrides?: Record<string, number | number[]>;
  /** Executions kept for lookup (bounded; default 1000, oldest dropped). */
  logLimit?: number;
}

/** The AWS StartSyncExecution response shape. */
export interface SyncExecutionResult {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  startDate: Date;
  stopDate: Date;
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  billingDetails: BillingDetails;
}

/**
 * One visit of one state. `error`/`cause` are the state's final outcome (a failure that was caught or
 * ended the execution); a failure that was retried away only shows in `retries`.
 */
export interface StateLogEntry {
  state: string;
  type: string;
  /** Epoch milliseconds. */
  enteredAt: number;
  durationMs: number;
  /** UTF-8 bytes of the state's raw input as JSON. */
  inputBytes: number;
  outputBytes?: number;
  error?: string;
  cause?: string;
  retries: number;
}

export interface ExecutionLog {
  name: string;
  status: SyncExecutionResult["status"];
  /** ISO 8601. */
  startDate: string;
  stopDate: string;
  states: StateLogEntry[];
  error?: string;
  cause?: string;
}

export interface StartSyncExecutionInput {
  name?: string;
  input?: string;
  stateMachineArn: string;
  traceHeader?: string;
}

export interface LocalStepFunctions {
  startSyncExecution(input: StartSyncExecutionInput): Promise<SyncExecutionResult>;
  getExecutionLog(name: string): ExecutionLog | undefined;
  faults: TaskFaults;
}

/** A fault injected into a Task's Lambda invocation (local tooling for tests, never production). */
export interface FaultSpec {
  /** Task state name. */
  state: string;
  /** Thrown as a Lambda failure instead of calling the handler (after `before`, if both are set). */
  error?: { name: string; message?: string };
  /** Matching invocations affected; default: every one until removed. */
  times?: number;
  /**
   * Awaited before the invocation. A test takes its step of a race here (replaces the upload between
   * Fetch and Resize), or returns a promise it settles later to hold the Task while a TimeoutSeconds
   * runs out: ordered by events, not by sleeping. A hook that throws fails the invocation.
   */
  before?: () => unknown;
}

export interface FaultHandle {
  remove(): void;
  /**
   * Resolves once the fault can affect no more invocations (used `times` times, or removed) and every
   * invocation it affected has finished: run, failed, or refused because its execution had stopped.
   */
  readonly settled: Promise<void>;
}

export interface TaskFaults {
  add(fault: FaultSpec): FaultHandle;
  clear(): void;
}
