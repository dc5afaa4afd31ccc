/**
 * The local Step Functions over HTTP, driven by the real @aws-sdk/client-sfn: what the thumbnail
 * API handler will send in local mode must round-trip exactly as against AWS.
 */
import { strict as assert } from "node:assert";
import { SFNClient, SFNServiceException, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import { createLocalStepFunctions, startLocalSfnServer, type LocalSfnServer } from "../../local/stepfunctions";

const SM_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:toy-http";

const definition = {
  StartAt: "Double",
  TimeoutSeconds: 5,
  States: {
    Double: {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:000000000000:function:double",
      Catch: [{ ErrorEquals: ["ValidationError"], ResultPath: "$.error", Next: "Invalid" }],
      End: true,
    },
    Invalid: { Type: "Fail", Error: "ValidationError", CausePath: "$.error.Cause" },
  },
};

class ValidationError extends Error {
  override readonly name = "ValidationError";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

describe("local Step Functions HTTP server", () => {
  let server: LocalSfnServer;
  let client: SFNClient;

  before(async () => {
    const engine = createLocalStepFunctions({
      definition,
      stateMachineArn: SM_ARN,
      handlers: {
        Double: async (event) => {
          if (!isRecord(event) || typeof event["n"] !== "number") throw new ValidationError("n must be a number");
          return { n: event["n"] * 2 };
        },
      },
    });
    server = await startLocalSfnServer({ port: 0, engine });
    client = new SFNClient({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      // StartSyncExecution's endpoint has a "sync-" host prefix; against 127.0.0.1 it must be off.
      disableHostPrefix: true,
      maxAttempts: 1,
    });
  });

  after(async () => {
    client.destroy();
    await server.close();
  });

  const start = (input: Partial<{ name: string; input: string; stateMachineArn: string; traceHeader: string }>) =>
    client.send(new StartSyncExecutionCommand({ stateMachineArn: SM_ARN, ...input }));

  async function rejectsWithSdk(promise: Promise<unknown>, name: string, status: number): Promise<void> {
    await assert.rejects(promise, (err) => {
      assert.ok(err instanceof SFNServiceException, String(err));
      assert.equal(err.name, name);
      assert.equal(err.$metadata.httpStatusCode, status);
      assert.ok(err.message.length > 0);
      return true;
    });
  }

  it("listens on an ephemeral 127.0.0.1 port", () => {
    assert.ok(server.port > 0);
    assert.equal(server.endpoint, `http://127.0.0.1:${server.port}`);
  });

  it("answers StartSyncExecution from the real SFNClient with AWS's response shape", async () => {
    const before = Date.now();
    const out = await start({ name: "http-ok", input: JSON.stringify({ n: 21 }), traceHeader: "Root=1-abc" });
    const after = Date.now();
    assert.equal(out.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(out.output ?? ""), { n: 42 });
    assert.equal(out.name, "http-ok");
    assert.equal(out.stateMachineArn, SM_ARN);
    assert.equal(out.input, JSON.stringify({ n: 21 }));
    assert.deepEqual(out.inputDetails, { included: true });
    assert.equal(out.traceHeader, "Root=1-abc");
    assert.match(out.executionArn ?? "", /^arn:aws:states:us-east-1:000000000000:express:toy-http:http-ok:/);
    assert.ok(out.startDate instanceof Date && out.stopDate instanceof Date);
    // Bracketed by the clock around the call (epoch seconds with milliseconds on the wire): the right instant, not a
    // misread unit.
    assert.ok(
      out.startDate.getTime() >= before && out.stopDate.getTime() <= after,
      "epoch seconds parsed into the right instant",
    );
    assert.ok(out.stopDate.getTime() >= out.startDate.getTime());
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.ok(out.$metadata.requestId);
  });

  it("reports a FAILED execution as a 200 with error and cause, as AWS does", async () => {
    const out = await start({ input: JSON.stringify({ n: "two" }) });
    assert.equal(out.status, "FAILED");
    assert.equal(out.error, "ValidationError");
    const cause = JSON.parse(out.cause ?? "");
    assert.equal(cause.errorType, "ValidationError");
    assert.equal(cause.errorMessage, "n must be a number");
    assert.equal(out.output, undefined);
  });

  it("maps request errors to AWS JSON errors the SDK recognises", async () => {
    await rejectsWithSdk(
      start({ stateMachineArn: SM_ARN.replace("toy-http", "missing") }),
      "StateMachineDoesNotExist",
      400,
    );
    await rejectsWithSdk(start({ stateMachineArn: "not-an-arn" }), "InvalidArn", 400);
    await rejectsWithSdk(start({ name: "has space" }), "InvalidName", 400);
    await rejectsWithSdk(start({ name: "x".repeat(81) }), "InvalidName", 400);
    await rejectsWithSdk(start({ input: "{oops" }), "InvalidExecutionInput", 400);
    await rejectsWithSdk(
      start({ input: JSON.stringify({ blob: "x".repeat(300 * 1024) }) }),
      "InvalidExecutionInput",
      400,
    );
  });

  it("serves the execution log at GET /executions/<name>, 404 when unknown", async () => {
    await start({ name: "http-log", input: JSON.stringify({ n: 1 }) });
    const res = await fetch(`${server.endpoint}/executions/http-log`);
    assert.equal(res.status, 200);
    const log: unknown = await res.json();
    assert.ok(isRecord(log));
    assert.equal(log["name"], "http-log");
    assert.equal(log["status"], "SUCCEEDED");
    assert.ok(Array.isArray(log["states"]));
    const [state] = log["states"];
    assert.ok(isRecord(state));
    assert.equal(state["state"], "Double");
    assert.equal(state["inputBytes"], JSON.stringify({ n: 1 }).length);
    assert.equal(state["outputBytes"], JSON.stringify({ n: 2 }).length);

    const missing = await fetch(`${server.endpoint}/executions/${encodeURIComponent("never-ran")}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      __type: "ExecutionDoesNotExist",
      message: "Execution Does Not Exist: 'never-ran'",
    });
  });

  it("refuses other operations and malformed bodies as AWS JSON errors", async () => {
    const post = (target: string | undefined, body: string) =>
      fetch(server.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", ...(target ? { "x-amz-target": target } : {}) },
        body,
      });
    const describe = await post("AWSStepFunctions.DescribeExecution", "{}");
    assert.equal(describe.status, 400);
    assert.equal(describe.headers.get("x-amzn-errortype"), "UnknownOperationException");
    const body: unknown = await describe.json();
    assert.ok(isRecord(body) && body["__type"] === "UnknownOperationException" && typeof body["message"] === "string");

    const notJson = await post("AWSStepFunctions.StartSyncExecution", "not json");
    assert.equal(notJson.status, 400);
    assert.equal(notJson.headers.get("x-amzn-errortype"), "SerializationException");

    const noArn = await post("AWSStepFunctions.StartSyncExecution", JSON.stringify({ input: "{}" }));
    assert.equal(noArn.status, 400);
    assert.equal(noArn.headers.get("x-amzn-errortype"), "ValidationException");
  });
});
