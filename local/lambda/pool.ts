/**
 * One function's execution environments, kept as Lambda keeps them: an invocation takes a warm idle
 * environment when there is one (the most recently used, so the others can age out), and starts a
 * cold one when there is none; an environment idle for `idleMs` is reaped. Every invocation is
 * reported as Lambda's REPORT line would report it.
 */
import { EventEmitter } from "node:events";
import { ExecutionEnvironment, type EnvironmentSpec, type InvocationOutcome } from "./environment";
import type { InvocationReport } from "./report";

export interface PoolSpec extends EnvironmentSpec {
  timeoutMs: number;
  idleMs: number;
  onReport: (report: InvocationReport) => void;
}

export interface PoolStats {
  functionName: string;
  memoryMb: number;
  environments: number;
  busy: number;
  coldStarts: number;
  invocations: number;
  /** The environments' process ids: each is a process of its own. */
  pids: number[];
}

export interface PoolEvents {
  /** An idle environment was reaped; `environments` is how many are left. */
  reaped: [environments: number];
}

export class FunctionPool extends EventEmitter<PoolEvents> {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private coldStarts = 0;
  private invocations = 0;
  private reaper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly spec: PoolSpec) {
    super();
  }

  /** Runs one event in a warm environment, or a new one. Resolves with the outcome; never rejects. */
  async invoke(event: unknown): Promise<InvocationOutcome> {
    if (this.closed) throw new Error(`${this.spec.functionName}: the local Lambda service is closed`);
    let env = this.takeIdle();
    if (env === undefined) {
      env = new ExecutionEnvironment(this.spec);
      this.coldStarts++;
    }
    this.busy.add(env);
    this.invocations++;
    let outcome: InvocationOutcome;
    try {
      outcome = await env.invoke(event, this.spec.timeoutMs);
    } finally {
      this.busy.delete(env);
    }
    if (env.alive && !this.closed) {
      this.idle.push(env);
      this.scheduleReap();
    }
    this.spec.onReport({
      functionName: this.spec.functionName,
      requestId: outcome.requestId,
      durationMs: outcome.durationMs,
      memorySizeMb: this.spec.memoryMb,
      maxMemoryUsedMb: outcome.maxMemoryMb,
      ...(outcome.initDurationMs !== undefined ? { initDurationMs: outcome.initDurationMs } : {}),
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    });
    return outcome;
  }

  /** Starts `count` environments ahead of traffic (provisioned concurrency's local counterpart). */
  async prewarm(count: number): Promise<void> {
    const envs = Array.from({ length: count }, () => new ExecutionEnvironment(this.spec));
    await Promise.all(envs.map((e) => e.initialized()));
    for (const env of envs) if (env.alive) this.idle.push(env);
    this.scheduleReap();
  }

  stats(): PoolStats {
    return {
      functionName: this.spec.functionName,
      memoryMb: this.spec.memoryMb,
      environments: this.idle.length + this.busy.size,
      busy: this.busy.size,
      coldStarts: this.coldStarts,
      invocations: this.invocations,
      pids: [...this.idle, ...this.busy].flatMap((e) => (e.pid !== undefined ? [e.pid] : [])),
    };
  }

  /** Ends every environment, warm or busy. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reaper);
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(all.map((e) => e.close()));
  }

  /** Reaps every idle environment now (what a long idle would do), so the next invocation is cold. */
  async reapAll(): Promise<void> {
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((e) => e.close()));
  }

  private takeIdle(): ExecutionEnvironment | undefined {
    while (this.idle.length > 0) {
      const env = this.idle.pop();
      if (env?.alive) return env;
    }
    return undefined;
  }

  private scheduleReap(): void {
    if (this.reaper !== undefined || this.idle.length === 0) return;
    this.reaper = setTimeout(() => {
      this.reaper = undefined;
      const cutoff = Date.now() - this.spec.idleMs;
      for (const env of [...this.idle]) {
        if (env.lastUsed <= cutoff) {
          this.idle.splice(this.idle.indexOf(env), 1);
          void env.close().then(() => this.emit("reaped", this.idle.length + this.busy.size));
        }
      }
      this.scheduleReap();
    }, this.spec.idleMs);
    // An idle pool must not keep the process alive.
    this.reaper.unref();
  }
}
