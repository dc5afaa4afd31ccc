/**
 * The local Step Functions engine on small definitions written here: Lambda semantics, Retry/Catch,
 * timeouts, the payload quota, request validation, the bounded log, and the StateMachine built once.
 */
import { strict as assert } from "node:assert";
import {
  EngineConfigError,
  PAYLOAD_LIMIT_BYTES,
  SfnApiError,
  createLocalStepFunctions,
  type EngineOptions,
  type LocalLambdaContext,
  type TaskHandler,
} from "../../local/stepfunctions";
import { deferred } from "../helpers/deferred";
import { holdTask } from "../helpers/task-faults";

const SM_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:toy";
const fn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const TRANSIENT = ["Lambda.ServiceException", "Lambda.TooManyRequestsException"];

class ValidationError extends Error {
  override readonly name = "ValidationError";
}

function engine(definition: object, handlers: Record<string, TaskHandler>, extra: Partial<EngineOptions> = {}) {
  return createLocalStepFunctions({ definition, stateMachineArn: SM_ARN, handlers, ...extra });
}

const run = (e: ReturnType<typeof engine>, input: unknown, name?: string) =>
  e.startSyncExecution({ stateMachineArn: SM_ARN, input: JSON.stringify(input), ...(name ? { name } : {}) });

/** One Task, optionally with Retry/Catch; a Catch goes to `Failed` (a Fail state reading the Lambda cause). */
function oneTask(task: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    StartAt: "Work",
    ...extra,
    States: {
      Work: { Type: "Task", Resource: fn("work"), TimeoutSeconds: 3, End: true, ...task },
      // Only with a Catch: the validator refuses unreachable states, as AWS does.
      ...("Catch" in task ? { Failed: { Type: "Fail", Error: "WorkFailed", CausePath: "$.error.Cause" } } : {}),
    },
  };
}

const bytesOf = (kib: number): string => "x".repeat(kib * 1024);

describe("local Step Functions engine", () => {
  it("calls the handler as Lambda does: JSON copies in and out, context from TimeoutSeconds", async () => {
    const input = { n: 2, nested: { list: [1, 2] } };
    let seen: LocalLambdaContext | undefined;
    let remaining = 0;
    let askedAt = 0;
    const e = engine(oneTask(), {
      Work: async (event, context) => {
        seen = context;
        remaining = context.getRemainingTimeInMillis();
        askedAt = Date.now();
        assert.deepEqual(event, input);
        if (typeof event === "object" && event !== null) Object.assign(event, { mutated: true });
        return { at: new Date(0), gone: undefined, n: 4 };
      },
    });
    const started = Date.now();
    const result = await run(e, input, "lambda-semantics");
    assert.equal(result.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(result.output ?? ""), { at: "1970-01-01T00:00:00.000Z", n: 4 });
    assert.equal(result.input, JSON.stringify(input));
    assert.equal(result.name, "lambda-semantics");
    assert.match(
      result.executionArn,
      /^arn:aws:states:us-east-1:000000000000:express:toy:lambda-semantics:[0-9a-f-]{36}$/,
    );
    assert.ok(result.startDate instanceof Date && result.stopDate >= result.startDate);
    assert.equal(seen?.functionName, "work");
    assert.match(seen?.awsRequestId ?? "", /^[0-9a-f-]{36}$/);
    // The Task's 3 s counted from its invocation, which came after `started`: no threshold on how long anything took.
    assert.ok(remaining <= 3000 && remaining >= started + 3000 - askedAt, `remaining ${remaining}`);
  });

  it("a handler returning undefined gives null, as the Lambda runtime sends it", async () => {
    const e = engine(oneTask(), { Work: async () => undefined });
    const result = await run(e, {});
    assert.equal(result.output, "null");
  });

  it("Catch with ResultPath $.error gets {Error, Cause} with Lambda's JSON cause", async () => {
    const definition = {
      StartAt: "Work",
      States: {
        Work: {
          Type: "Task",
          Resource: fn("work"),
          Catch: [{ ErrorEquals: ["ValidationError"], ResultPath: "$.error", Next: "Report" }],
          End: true,
        },
        Report: { Type: "Pass", End: true },
      },
    };
    const e = engine(definition, {
      Work: async () => {
        throw new ValidationError("res must be one of 64x64");
      },
    });
    const result = await run(e, { keep: 1 });
    assert.equal(result.status, "SUCCEEDED");
    const output = JSON.parse(result.output ?? "");
    assert.equal(output.keep, 1);
    assert.deepEqual(Object.keys(output.error), ["Error", "Cause"]);
    assert.equal(output.error.Error, "ValidationError");
    const cause = JSON.parse(output.error.Cause);
    assert.deepEqual(Object.keys(cause), ["errorType", "errorMessage", "trace"]);
    assert.equal(cause.errorType, "ValidationError");
    assert.equal(cause.errorMessage, "res must be one of 64x64");
    assert.equal(cause.trace[0], "ValidationError: res must be one of 64x64");
  });

  it("Catch into a Fail state with CausePath: FAILED with the state's Error and the Lambda-style cause", async () => {
    const e = engine(oneTask({ Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }] }), {
      Work: async () => {
        throw new ValidationError("imageName is not one we issued");
      },
    });
    const result = await run(e, {}, "caught");
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "WorkFailed");
    assert.deepEqual(
      { ...JSON.parse(result.cause ?? ""), trace: undefined },
      { errorType: "ValidationError", errorMessage: "imageName is not one we issued", trace: undefined },
    );
    assert.equal(result.output, undefined);
    const log = e.getExecutionLog("caught");
    assert.deepEqual(
      log?.states.map((s) => [s.state, s.type, s.error]),
      [
        ["Work", "Task", "ValidationError"],
        ["Failed", "Fail", "WorkFailed"],
      ],
    );
    assert.equal(log?.error, "WorkFailed");
  });

  it("an uncaught handler error fails the execution with errorType as error; non-Error throws too", async () => {
    const e = engine(oneTask(), {
      Work: async () => {
        throw "plain string";
      },
    });
    const result = await run(e, {});
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "string");
    assert.deepEqual(JSON.parse(result.cause ?? ""), { errorType: "string", errorMessage: "plain string", trace: [] });
  });

  it("a Fail state without Cause reports no cause, and without Error no error (as on AWS)", async () => {
    const definition = {
      StartAt: "Pick",
      States: {
        Pick: {
          Type: "Choice",
          Choices: [{ Variable: "$.bare", BooleanEquals: true, Next: "Bare" }],
          Default: "Named",
        },
        Named: { Type: "Fail", Error: "Nope" },
        Bare: { Type: "Fail" },
      },
    };
    const e = engine(definition, {});
    const named = await run(e, { bare: false });
    assert.deepEqual([named.status, named.error, named.cause], ["FAILED", "Nope", undefined]);
    const bare = await run(e, { bare: true });
    assert.deepEqual([bare.status, bare.error, bare.cause], ["FAILED", undefined, undefined]);
  });

  it("interpreter runtime errors fail the execution", async () => {
    const definition = {
      StartAt: "Pick",
      States: {
        Pick: { Type: "Choice", Choices: [{ Variable: "$.x", NumericEquals: 1, Next: "Done" }] },
        Done: { Type: "Succeed" },
      },
    };
    const result = await run(engine(definition, {}), { x: 2 });
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "States.NoChoiceMatched");
  });

  describe("faults and Retry", () => {
    // An hour's wait: these executions can only finish because retryIntervalOverrides replaces it.
    const retrying = oneTask({
      Retry: [{ ErrorEquals: TRANSIENT, IntervalSeconds: 3600, MaxAttempts: 2, BackoffRate: 2 }],
    });

    it("a transient error injected once is retried at once (retryIntervalOverrides) and the execution succeeds; the log shows the retry", async () => {
      let calls = 0;
      const e = engine(retrying, { Work: async () => ({ calls: ++calls }) }, { retryIntervalOverrides: { Work: 0 } });
      e.faults.add({ state: "Work", error: { name: "Lambda.ServiceException" }, times: 1 });
      const result = await run(e, {}, "retried-once");
      assert.equal(result.status, "SUCCEEDED");
      assert.equal(calls, 1);
      const [work] = e.getExecutionLog("retried-once")?.states ?? [];
      assert.equal(work?.retries, 1);
      assert.equal(work?.error, undefined);
      assert.equal(work?.outputBytes, JSON.stringify({ calls: 1 }).length);
    });

    it("a transient error injected always exhausts the retries and fails with the Lambda-style cause", async () => {
      let calls = 0;
      const e = engine(retrying, { Work: async () => ++calls }, { retryIntervalOverrides: { Work: 0 } });
      const fault = e.faults.add({
        state: "Work",
        error: { name: "Lambda.ServiceException", message: "Rate exceeded" },
      });
      const result = await run(e, {}, "retries-exhausted");
      assert.equal(result.status, "FAILED");
      assert.equal(result.error, "Lambda.ServiceException");
      assert.equal(JSON.parse(result.cause ?? "").errorMessage, "Rate exceeded");
      assert.equal(calls, 0);
      const [work] = e.getExecutionLog("retries-exhausted")?.states ?? [];
      assert.equal(work?.retries, 2);
      assert.equal(work?.error, "Lambda.ServiceException");

      fault.remove();
      assert.equal((await run(e, {})).status, "SUCCEEDED");
      assert.equal(calls, 1);
    });

    it("a fault's before hook runs between the previous state and the invocation; settled once it is used up or removed", async () => {
      const order: string[] = [];
      const definition = {
        StartAt: "A",
        States: {
          A: { Type: "Task", Resource: fn("a"), Next: "B" },
          B: { Type: "Task", Resource: fn("b"), End: true },
        },
      };
      const e = engine(definition, {
        A: async () => void order.push("A"),
        B: async () => void order.push("B"),
      });
      const fault = e.faults.add({ state: "B", times: 1, before: () => void order.push("before B") });
      assert.equal((await run(e, {})).status, "SUCCEEDED");
      await fault.settled;
      assert.deepEqual(order, ["A", "before B", "B"]);
      assert.equal((await run(e, {})).status, "SUCCEEDED");
      assert.deepEqual(order.slice(3), ["A", "B"], "used up after its `times`");

      const idle = e.faults.add({ state: "A", error: { name: "Boom" } });
      idle.remove();
      await idle.settled; // never used, removed: nothing left to wait for
      assert.throws(() => e.faults.add({ state: "B" }), /needs an error, a before hook, or both/);
    });

    it("faults.clear() removes every fault", async () => {
      const e = engine(oneTask(), { Work: async () => "ok" });
      e.faults.add({ state: "Work", error: { name: "Boom" } });
      e.faults.add({ state: "Work", error: { name: "Bang" } });
      assert.equal((await run(e, {})).error, "Boom");
      e.faults.clear();
      assert.equal((await run(e, {})).status, "SUCCEEDED");
    });
  });

  describe("timeouts", () => {
    it("the execution's TimeoutSeconds gives TIMED_OUT with States.Timeout, and the late handler never runs", async () => {
      let calls = 0;
      const e = engine(oneTask({ TimeoutSeconds: 5 }, { TimeoutSeconds: 1 }), { Work: async () => ++calls });
      // Held until the execution has answered: it can only have timed out while the Task was running.
      const held = holdTask(e.faults, "Work");
      const result = await run(e, {}, "too-slow");
      assert.equal(result.status, "TIMED_OUT");
      assert.equal(result.error, "States.Timeout");
      assert.equal(result.output, undefined);
      await held.release(); // the late invocation is over: refused, or (the bug) run
      assert.equal(calls, 0);
      const log = e.getExecutionLog("too-slow");
      assert.equal(log?.status, "TIMED_OUT");
      assert.equal(log?.states[0]?.error, "States.Timeout");
    });

    it("a Task's TimeoutSeconds raises a catchable States.Timeout", async () => {
      const e = engine(
        oneTask({
          TimeoutSeconds: 1,
          Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "Failed" }],
        }),
        {
          Work: async () => "late",
        },
      );
      const held = holdTask(e.faults, "Work"); // past its TimeoutSeconds of 1
      const result = await run(e, {});
      await held.release();
      assert.equal(result.status, "FAILED");
      assert.equal(result.error, "WorkFailed");
    });
  });

  describe("the 256 KiB payload quota", () => {
    it("a Task result over 256 KiB fails with States.DataLimitExceeded, past Retry and Catch on States.ALL", async () => {
      let calls = 0;
      const e = engine(
        oneTask({
          Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
        }),
        {
          Work: async () => {
            calls += 1;
            return { blob: bytesOf(300) };
          },
        },
        { retryIntervalOverrides: { Work: 0 } },
      );
      const result = await run(e, {}, "too-big");
      assert.equal(result.status, "FAILED");
      assert.equal(result.error, "States.DataLimitExceeded");
      assert.match(result.cause ?? "", /'Work'/);
      assert.equal(calls, 1, "not retried");
      const log = e.getExecutionLog("too-big");
      assert.deepEqual(
        log?.states.map((s) => [s.state, s.error, s.retries]),
        [["Work", "States.DataLimitExceeded", 0]],
      );
    });

    it("a state output over the quota (made by ResultPath) fails the execution before the next Task runs", async () => {
      let nextCalls = 0;
      const definition = {
        StartAt: "First",
        States: {
          First: { Type: "Task", Resource: fn("first"), ResultPath: "$.a", Next: "Grow" },
          Grow: { Type: "Pass", Result: { blob: bytesOf(100) }, ResultPath: "$.b", Next: "Second" },
          Second: {
            Type: "Task",
            Resource: fn("second"),
            Parameters: { small: true }, // the Lambda itself would get a small event: the state input is what is over
            Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
            End: true,
          },
          Caught: { Type: "Succeed" },
        },
      };
      const e = engine(definition, {
        First: async () => bytesOf(200),
        Second: async () => ++nextCalls,
      });
      const result = await run(e, {}, "grows");
      assert.equal(result.status, "FAILED");
      assert.equal(result.error, "States.DataLimitExceeded");
      assert.match(result.cause ?? "", /'Grow'/);
      assert.equal(nextCalls, 0);
      const log = e.getExecutionLog("grows");
      assert.deepEqual(
        log?.states.map((s) => s.state),
        ["First", "Grow"],
      );
      assert.ok((log?.states[1]?.outputBytes ?? 0) > PAYLOAD_LIMIT_BYTES);
    });

    it("a final output over the quota fails the execution even with no Task after it", async () => {
      const definition = { StartAt: "Grow", States: { Grow: { Type: "Pass", Result: bytesOf(257), End: true } } };
      const result = await run(engine(definition, {}), {});
      assert.equal(result.status, "FAILED");
      assert.equal(result.error, "States.DataLimitExceeded");
    });

    it("an execution input of exactly 256 KiB is accepted, one byte more is InvalidExecutionInput", async () => {
      const e = engine({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }, {});
      const exact = JSON.stringify(bytesOf(256).slice(2)); // the quotes make it 262144 bytes
      assert.equal(Buffer.byteLength(exact), PAYLOAD_LIMIT_BYTES);
      assert.equal((await e.startSyncExecution({ stateMachineArn: SM_ARN, input: exact })).status, "SUCCEEDED");
      await assert.rejects(
        e.startSyncExecution({ stateMachineArn: SM_ARN, input: JSON.stringify(bytesOf(256).slice(1)) }),
        (err) => err instanceof SfnApiError && err.name === "InvalidExecutionInput",
      );
    });
  });

  describe("request validation", () => {
    const e = engine({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }, {});
    const rejectsWith = (name: string, request: Parameters<typeof e.startSyncExecution>[0]) =>
      assert.rejects(
        e.startSyncExecution(request),
        (err) => err instanceof SfnApiError && err.name === name && err.status === 400,
      );

    it("non-JSON input -> InvalidExecutionInput; no input means {}", async () => {
      await rejectsWith("InvalidExecutionInput", { stateMachineArn: SM_ARN, input: "{not json" });
      const result = await e.startSyncExecution({ stateMachineArn: SM_ARN });
      assert.equal(result.input, "{}");
      assert.match(result.name, /^[0-9a-f-]{36}$/);
    });

    for (const bad of [
      "",
      "x".repeat(81),
      "a b",
      "tab\there",
      "a/b",
      "a:b",
      "a$b",
      "q?",
      "ctl\u0001",
      "c1\u0085",
      "nb\u00a0sp",
      "<x>",
    ]) {
      it(`rejects the execution name ${JSON.stringify(bad)} with InvalidName`, () =>
        rejectsWith("InvalidName", { stateMachineArn: SM_ARN, name: bad }));
    }

    it("accepts names AWS accepts", async () => {
      for (const good of ["x".repeat(80), "req-1_a.b=c+d", "ünïcödé"]) {
        assert.equal((await e.startSyncExecution({ stateMachineArn: SM_ARN, name: good })).name, good);
      }
    });

    it("an unknown state machine -> StateMachineDoesNotExist; a malformed ARN -> InvalidArn", async () => {
      await rejectsWith("StateMachineDoesNotExist", { stateMachineArn: SM_ARN.replace("toy", "other") });
      await rejectsWith("InvalidArn", { stateMachineArn: "toy" });
    });
  });

  describe("the execution log", () => {
    it("records each state's type, sizes and duration", async () => {
      const definition = {
        StartAt: "Slow",
        States: {
          Slow: { Type: "Task", Resource: fn("slow"), Next: "Shape" },
          Shape: { Type: "Pass", Parameters: { "v.$": "$.v" }, End: true },
        },
      };
      const ran = { from: 0, to: 0 };
      const e = engine(definition, {
        Slow: async () => {
          ran.from = Date.now();
          // Until the clock has moved, so that a duration left at 0 cannot pass.
          while (Date.now() <= ran.from) await new Promise((r) => setImmediate(r));
          ran.to = Date.now();
          return { v: "é", drop: 1 };
        },
      });
      await run(e, { in: 1 }, "sized");
      const log = e.getExecutionLog("sized");
      assert.equal(log?.status, "SUCCEEDED");
      assert.ok(log && Date.parse(log.stopDate) >= Date.parse(log.startDate));
      const [slow, shape] = log?.states ?? [];
      assert.deepEqual([slow?.state, slow?.type, slow?.inputBytes], ["Slow", "Task", '{"in":1}'.length]);
      assert.equal(slow?.outputBytes, Buffer.byteLength('{"v":"é","drop":1}'));
      // The state's span encloses the handler's run (the same clock, no threshold).
      assert.ok(
        slow && slow.enteredAt <= ran.from && slow.enteredAt + slow.durationMs >= ran.to,
        JSON.stringify({ slow, ran }),
      );
      assert.deepEqual(
        [shape?.state, shape?.type, shape?.outputBytes],
        ["Shape", "Pass", Buffer.byteLength('{"v":"é"}')],
      );
      assert.equal(e.getExecutionLog("never-ran"), undefined);
    });

    it("stays bounded by logLimit (oldest dropped) and keeps the latest log for a repeated name", async () => {
      const e = engine(oneTask(), { Work: async (event) => event }, { logLimit: 3 });
      for (const name of ["a", "b", "c", "d", "e"]) await run(e, { name }, name);
      assert.deepEqual(
        ["a", "b", "c", "d", "e"].map((n) => e.getExecutionLog(n) !== undefined),
        [false, false, true, true, true],
      );
      await run(e, { again: "longer input" }, "c");
      await run(e, {}, "f");
      assert.equal(e.getExecutionLog("d"), undefined, "c was refreshed, so d is now the oldest");
      assert.equal(e.getExecutionLog("c")?.states[0]?.inputBytes, JSON.stringify({ again: "longer input" }).length);
    });

    it("concurrent executions keep separate logs", async () => {
      const names = ["p1", "p2", "p3", "p4"];
      // Every handler waits until all four executions are inside Work: they overlap by construction.
      const allIn = deferred();
      let inside = 0;
      const e = engine(oneTask(), {
        Work: async (event) => {
          if (++inside === names.length) allIn.resolve();
          await allIn.promise;
          return event;
        },
      });
      await Promise.all(names.map((name, i) => run(e, { pad: "y".repeat(i) }, name)));
      for (const [i, name] of names.entries()) {
        const states = e.getExecutionLog(name)?.states ?? [];
        assert.equal(states.length, 1);
        assert.equal(states[0]?.inputBytes, JSON.stringify({ pad: "y".repeat(i) }).length);
      }
    });
  });

  describe("construction", () => {
    it("refuses a Task state without a handler, a handler without a Task state, and an invalid definition", () => {
      assert.throws(() => engine(oneTask(), {}), EngineConfigError);
      assert.throws(() => engine(oneTask(), { Work: async () => 1, Typo: async () => 1 }), EngineConfigError);
      assert.throws(() => engine({ States: {} }, {}), EngineConfigError);
      assert.throws(() => engine({ StartAt: "Nope", States: { Done: { Type: "Succeed" } } }, {}), /invalid/);
      assert.throws(
        () =>
          createLocalStepFunctions({
            definition: oneTask(),
            stateMachineArn: "toy",
            handlers: { Work: async () => 1 },
          }),
        EngineConfigError,
      );
    });
  });
});
