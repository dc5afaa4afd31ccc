/**
 * One execution environment: a Node process of its own that loads one function's bundle, held to
 * the function's CPU share and memory by its own cgroup. It runs one invocation at a time; the pool
 * (pool.ts) decides when to make, reuse and reap environments.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { LambdaErrorPayload } from "../stepfunctions/lambda";
import { joinAndExec, type CgroupLimits, type EnvironmentCgroup } from "./cgroup";
import { isEnvironmentMessage, type EnvironmentMessage, type InvokeMessage } from "./protocol";

export interface EnvironmentSpec {
  functionName: string;
  /** The directory holding the function's index.js (its bundle). */
  taskRoot: string;
  /** The bundled runtime (bootstrap.ts). */
  bootstrap: string;
  memoryMb: number;
  env: Record<string, string>;
  limits: CgroupLimits;
  /** Each line the function writes (its logs). */
  onLog: (line: string) => void;
}

export interface InvocationOutcome {
  requestId: string;
  ok: boolean;
  response?: unknown;
  error?: LambdaErrorPayload;
  durationMs: number;
  maxMemoryMb: number;
  /** Set on the environment's first invocation. */
  initDurationMs?: number;
  status?: "timeout" | "error";
}

let sequence = 0;

/** A live process's peak RSS in MB (VmHWM), for the REPORT of an invocation cut short. */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] !== undefined ? Math.ceil(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

export class ExecutionEnvironment {
  readonly id = `${process.pid}-${++sequence}`;
  private readonly child: ChildProcess;
  private readonly cgroup: EnvironmentCgroup;
  private readonly ready: Promise<number>;
  private pending: { id: number; resolve: (m: EnvironmentMessage) => void } | undefined;
  private nextId = 1;
  private initReported = false;
  private exited = false;
  lastUsed = Date.now();

  constructor(private readonly spec: EnvironmentSpec) {
    this.cgroup = spec.limits.create(`${spec.functionName}-${this.id}`, spec.memoryMb);
    // V8's heap is kept below the memory limit, so the process collects before the cgroup kills it.
    const heapMb = Math.max(64, Math.floor(spec.memoryMb * 0.85));
    const spawnedAt = performance.now();
    this.child = spawn(
      "/bin/sh",
      ["-c", joinAndExec(this.cgroup.procsFiles), process.execPath, `--max-old-space-size=${heapMb}`, spec.bootstrap],
      {
        env: spec.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      },
    );
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let buffered = "";
      stream?.setEncoding("utf8").on("data", (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          spec.onLog(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
        }
      });
    }
    this.ready = new Promise<number>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (!isEnvironmentMessage(message)) return;
        // Lambda's Init Duration runs from the environment's start: timed here, from the spawn, it
        // includes Node's own start-up before its clock origin (30-75 ms at 256 MB).
        if (message.type === "ready") resolve(performance.now() - spawnedAt);
        else if (message.type === "initError")
          reject(Object.assign(new Error(message.error.errorMessage), { payload: message.error }));
        else if (this.pending?.id === message.id) {
          const pending = this.pending;
          this.pending = undefined;
          pending.resolve(message);
        }
      };
      this.child.on("message", onMessage);
      this.child.on("exit", (code, signal) => {
        this.exited = true;
        this.cgroup.remove();
        const reason = `Runtime exited ${signal ? `with signal: ${signal}` : `with error: exit status ${code ?? "?"}`}`;
        reject(
          Object.assign(new Error(reason), {
            payload: { errorType: "Runtime.ExitError", errorMessage: reason, trace: [] },
          }),
        );
        const pending = this.pending;
        this.pending = undefined;
        pending?.resolve({
          type: "result",
          id: pending.id,
          durationMs: 0,
          maxMemoryMb: this.spec.memoryMb,
          ok: false,
          error: { errorType: "Runtime.ExitError", errorMessage: reason, trace: [] },
        });
      });
    });
    // Awaited by invoke(); an early failure must not surface as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  /** The cgroup files holding this environment (empty when unthrottled). */
  get cgroupProcsFiles(): string[] {
    return this.cgroup.procsFiles;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Runs one event. Resolves with the outcome (function errors included); never rejects. */
  async invoke(event: unknown, timeoutMs: number): Promise<InvocationOutcome> {
    const requestId = randomUUID();
    let initDurationMs: number | undefined;
    const initStarted = performance.now();
    try {
      const initMs = await this.ready;
      if (!this.initReported) initDurationMs = initMs;
    } catch (err) {
      this.kill();
      const payload = (err as { payload?: LambdaErrorPayload }).payload ?? {
        errorType: "Runtime.Unknown",
        errorMessage: String(err),
        trace: [],
      };
      return {
        requestId,
        ok: false,
        error: payload,
        durationMs: 0,
        maxMemoryMb: 0,
        initDurationMs: performance.now() - initStarted,
        status: "error",
      };
    } finally {
      this.initReported = true;
    }
    const id = this.nextId++;
    const started = performance.now();
    const result = new Promise<EnvironmentMessage>((resolve) => (this.pending = { id, resolve }));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const message: InvokeMessage = { type: "invoke", id, requestId, event, timeoutMs };
    this.child.send(message);
    const outcome = await Promise.race([result, timedOut]);
    clearTimeout(timer);
    this.lastUsed = Date.now();
    const withInit = initDurationMs !== undefined ? { initDurationMs } : {};
    if (outcome === "timeout") {
      // Lambda stops a timed-out environment; the next invocation starts a fresh one.
      const maxMemoryMb = peakRssMb(this.child.pid);
      this.kill();
      const seconds = (timeoutMs / 1000).toFixed(2);
      return {
        requestId,
        ok: false,
        error: { errorType: "Sandbox.Timedout", errorMessage: `Task timed out after ${seconds} seconds`, trace: [] },
        durationMs: performance.now() - started,
        maxMemoryMb,
        status: "timeout",
        ...withInit,
      };
    }
    if (outcome.type !== "result") throw new Error("unexpected message");
    if (!outcome.ok && outcome.error.errorType === "Runtime.ExitError") {
      return {
        requestId,
        ok: false,
        error: outcome.error,
        durationMs: performance.now() - started,
        maxMemoryMb: outcome.maxMemoryMb,
        status: "error",
        ...withInit,
      };
    }
    return outcome.ok
      ? {
          requestId,
          ok: true,
          response: outcome.response,
          durationMs: outcome.durationMs,
          maxMemoryMb: outcome.maxMemoryMb,
          ...withInit,
        }
      : {
          requestId,
          ok: false,
          error: outcome.error,
          durationMs: outcome.durationMs,
          maxMemoryMb: outcome.maxMemoryMb,
          ...withInit,
        };
  }

  /** Waits for Init to finish (or fail); true when the environment is ready for events. */
  async initialized(): Promise<boolean> {
    return this.ready.then(
      () => true,
      () => false,
    );
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  /** Ends the process and waits for it to be gone. */
  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.kill();
    await gone;
  }
}
