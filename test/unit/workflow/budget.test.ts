/**
 * Static checks of the deployed definition: retries only on transient errors, and the worst case
 * of every attempt, timeout and retry wait on the longest path fits the state machine timeout,
 * which fits the API function's, which fits the HTTP API's.
 */
import { strict as assert } from "node:assert";
import {
  API_FUNCTION_INIT_BUDGET_SECONDS,
  API_FUNCTION_TIMEOUT_SECONDS,
  RETRIED_TIMEOUT,
  HTTP_API_TIMEOUT_SECONDS,
  STATE_MACHINE_TIMEOUT_SECONDS,
  TRANSIENT_ERRORS,
} from "../../../lambdas/shared/budget";
import { TASK_STATES } from "../../../infra/catalog";
import definition from "../../../statemachine/thumbnail.asl.json";

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}
interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next: string }[];
  TimeoutSeconds?: number;
  Retry?: Retrier[];
}
const states: Record<string, State> = definition.States;

/** ASL defaults: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2. */
function retryWaits(r: Retrier): number {
  let total = 0;
  for (let k = 0; k < (r.MaxAttempts ?? 3); k++) {
    const wait = (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** k;
    total += Math.min(wait, r.MaxDelaySeconds ?? Infinity);
  }
  return total;
}

/** Every attempt may run to its timeout before failing with a retried error; waits at their maximum (no jitter). */
export function worstCaseSeconds(state: State): number {
  if (state.Type !== "Task") return 0;
  const retriers = state.Retry ?? [];
  const attempts = 1 + retriers.reduce((n, r) => n + (r.MaxAttempts ?? 3), 0);
  return attempts * (state.TimeoutSeconds ?? 60) + retriers.reduce((n, r) => n + retryWaits(r), 0);
}

function successors(state: State): string[] {
  return [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next)].filter(
    (n): n is string => n !== undefined,
  );
}

function reachableFrom(name: string, seen: Set<string> = new Set()): Set<string> {
  const state = states[name];
  if (seen.has(name) || state === undefined) return seen;
  seen.add(name);
  for (const next of successors(state)) reachableFrom(next, seen);
  return seen;
}

function longestPath(name: string, seen: Set<string> = new Set()): { seconds: number; path: string[] } {
  assert.ok(!seen.has(name), `cycle through ${name}`);
  const state = states[name];
  assert.ok(state, `no state ${name}`);
  let best = { seconds: 0, path: [] as string[] };
  for (const next of successors(state)) {
    const candidate = longestPath(next, new Set([...seen, name]));
    if (candidate.seconds > best.seconds) best = candidate;
  }
  return { seconds: worstCaseSeconds(state) + best.seconds, path: [name, ...best.path] };
}

describe("workflow time budget (static)", () => {
  it("gives every Task a TimeoutSeconds", () => {
    for (const [name, s] of Object.entries(states)) {
      if (s.Type === "Task") assert.ok((s.TimeoutSeconds ?? 0) >= 1, `${name} has no TimeoutSeconds`);
    }
  });

  it("retries only transient errors and the Task's own timeout", () => {
    const transient = new Set<string>([...TRANSIENT_ERRORS, RETRIED_TIMEOUT]);
    for (const [name, s] of Object.entries(states)) {
      for (const r of s.Retry ?? []) {
        for (const e of r.ErrorEquals) assert.ok(transient.has(e), `${name} retries non-transient ${e}`);
      }
    }
  });

  it("fits the worst case of the longest path inside the state machine timeout", () => {
    const { seconds, path } = longestPath(definition.StartAt);
    const last = states[path[path.length - 1] ?? ""];
    assert.ok(last?.End === true, `the path runs to the end: ${path.join(" -> ")}`);
    assert.ok(
      seconds <= definition.TimeoutSeconds,
      `worst case ${seconds} s > ${definition.TimeoutSeconds} s via ${path.join(" -> ")}`,
    );
  });

  it("reaches every Task of the catalog from StartAt, so the longest path's worst case covers each", () => {
    const reachable = reachableFrom(definition.StartAt);
    for (const state of TASK_STATES) assert.ok(reachable.has(state), `${state} is not reachable`);
  });

  it("retries every Task's timeout at most once, in the retrier of the transient errors", () => {
    for (const [name, s] of Object.entries(states)) {
      if (s.Type !== "Task") continue;
      const retriers = (s.Retry ?? []).filter((r) => r.ErrorEquals.includes(RETRIED_TIMEOUT));
      assert.equal(retriers.length, 1, `${name} retries ${RETRIED_TIMEOUT}`);
      assert.equal(retriers[0]?.MaxAttempts, 1, `${name} retries a timeout once`);
      for (const e of TRANSIENT_ERRORS)
        assert.ok(retriers[0]?.ErrorEquals.includes(e), `${name}: one retry in all, ${e} included`);
    }
  });

  it("nests the timeouts: state machine < API function < HTTP API", () => {
    assert.equal(definition.TimeoutSeconds, STATE_MACHINE_TIMEOUT_SECONDS);
    assert.ok(STATE_MACHINE_TIMEOUT_SECONDS < API_FUNCTION_TIMEOUT_SECONDS);
    assert.ok(API_FUNCTION_TIMEOUT_SECONDS < HTTP_API_TIMEOUT_SECONDS);
  });

  it("leaves room for the API function's own cold start inside the HTTP API's 30 s", () => {
    // Init is not part of the function's timeout, but API Gateway's clock runs through it.
    assert.ok(API_FUNCTION_INIT_BUDGET_SECONDS + STATE_MACHINE_TIMEOUT_SECONDS < HTTP_API_TIMEOUT_SECONDS);
    assert.ok(API_FUNCTION_INIT_BUDGET_SECONDS + STATE_MACHINE_TIMEOUT_SECONDS <= API_FUNCTION_TIMEOUT_SECONDS);
  });

  it("counts a retrier's attempts and waits (the model itself)", () => {
    const s: State = {
      Type: "Task",
      TimeoutSeconds: 2,
      Retry: [{ ErrorEquals: ["x"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
    };
    assert.equal(worstCaseSeconds(s), 3 * 2 + 1 + 2);
  });
});
