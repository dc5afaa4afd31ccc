/**
 * The transient errors are listed once, in lambdas/shared/budget.ts (TRANSIENT_ERRORS, plus the
 * Task's own timeout, RETRIED_TIMEOUT). ASL has no way to refer to a list, so each Task state of
 * statemachine/thumbnail.asl.json repeats it in its Retry and its Catch; every copy is checked here
 * against the one list, so the file stays the readable source of the workflow.
 */
import { strict as assert } from "node:assert";
import { RETRIED_TIMEOUT, TRANSIENT_ERRORS } from "../../../lambdas/shared/budget";
import definition from "../../../statemachine/thumbnail.asl.json";

interface Retrier {
  ErrorEquals: string[];
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
}
interface State {
  Type: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
}
const states: Record<string, State> = definition.States;
const tasks = Object.entries(states).filter(([, s]) => s.Type === "Task");

const TRANSIENT = new Set<string>(TRANSIENT_ERRORS);
const sorted = (errors: readonly string[]): string[] => [...errors].sort();
const mentionsTransient = (errors: string[]): boolean => errors.some((e) => TRANSIENT.has(e));

describe("workflow: the transient errors, written once", () => {
  it("has Task states to check", () => {
    assert.ok(tasks.length > 0);
  });

  for (const [name, state] of tasks) {
    it(`${name}: retries exactly the transient errors and its own timeout, in one retrier`, () => {
      const retriers = (state.Retry ?? []).filter((r) => mentionsTransient(r.ErrorEquals));
      assert.equal(retriers.length, 1, `${name} has one retrier for the transient errors`);
      assert.deepEqual(sorted(retriers[0]?.ErrorEquals ?? []), sorted([...TRANSIENT_ERRORS, RETRIED_TIMEOUT]));
    });

    it(`${name}: sends the transient errors that outlast the retries to ServiceUnavailable`, () => {
      const catchers = state.Catch ?? [];
      const transient = catchers.filter((c) => mentionsTransient(c.ErrorEquals));
      assert.equal(transient.length, 1, `${name} has one catcher for the transient errors`);
      const [catcher] = transient;
      assert.deepEqual(sorted(catcher?.ErrorEquals ?? []), sorted(TRANSIENT_ERRORS));
      assert.equal(catcher?.Next, "ServiceUnavailable");
      // Catchers are tried in order: a States.ALL ahead of it would take these errors first.
      const all = catchers.findIndex((c) => c.ErrorEquals.includes("States.ALL"));
      const own = catchers.findIndex((c) => mentionsTransient(c.ErrorEquals));
      assert.ok(all === -1 || own < all, `${name}: States.ALL comes after it`);
    });

    it(`${name}: sends its own timeout, once retried, to WorkflowTimeout`, () => {
      const timeouts = (state.Catch ?? []).filter((c) => c.ErrorEquals.includes(RETRIED_TIMEOUT));
      assert.deepEqual(
        timeouts.map((c) => ({ errors: c.ErrorEquals, next: c.Next })),
        [{ errors: [RETRIED_TIMEOUT], next: "WorkflowTimeout" }],
      );
    });
  }
});
