/**
 * The real statemachine/thumbnail.asl.json on the local engine, with stub handlers that check each
 * state's input and output against the shared schemas: the definition wires the contract's shapes
 * from state to state, its Retry/Catch route faults to the contract's errors, and the engine's
 * payload quota holds on it. (The real handlers are tested with the engine elsewhere.)
 */
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { perTask } from "../../infra/catalog";
import { ValidationError } from "../../lambdas/shared/errors";
import type { FetchedSource, ThumbnailReady, ThumbnailResult, ValidatedRequest } from "../../lambdas/shared/types";
import { describeErrors } from "../../lambdas/shared/validation";
import * as validators from "../../lambdas/shared/validators";
import type { ValidateFunction } from "ajv";
import { createLocalStepFunctions, type LocalStepFunctions } from "../../local/stepfunctions";
import { holdTask } from "../helpers/task-faults";
import { missPath } from "../helpers/workflow-path";

const SM_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:thumbnail-local";
const DEFINITION_FILE = path.join(__dirname, "..", "..", "statemachine", "thumbnail.asl.json");
const ETAG = "0123456789abcdef0123456789abcdef";
const IMAGE = "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.png";
/** A stand-in of the placeholder the real Resize makes (the schemas check its form, not its pixels). */
const PLACEHOLDER = "data:image/webp;base64,UklGRiQAAABXRUJQ";

/** The definition as the Pulumi program renders it, with fake Lambda ARNs for the placeholders. */
async function renderedDefinition(): Promise<object> {
  const text = await readFile(DEFINITION_FILE, "utf8");
  const rendered = text.replace(
    /\$\{(\w+)FunctionArn\}/g,
    (_, fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:thumbnail-${fn.toLowerCase()}`,
  );
  assert.doesNotMatch(rendered, /\$\{/, "every placeholder rendered");
  const parsed: unknown = JSON.parse(rendered);
  assert.ok(typeof parsed === "object" && parsed !== null);
  return parsed;
}

class StubContractError extends Error {
  override readonly name = "StubContractError";
}

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? { ...v } : {});

function expectShape<T>(validate: ValidateFunction<T>, value: unknown, what: string): T {
  if (validate(value)) return value;
  throw new StubContractError(`${what}: ${describeErrors(validate.errors)}`);
}

describe("local Step Functions: statemachine/thumbnail.asl.json", () => {
  let engine: LocalStepFunctions;
  const stored = new Set<string>();
  const calls: string[] = [];

  before(async () => {
    engine = createLocalStepFunctions({
      definition: await renderedDefinition(),
      stateMachineArn: SM_ARN,
      retryIntervalOverrides: perTask(() => 0),
      handlers: {
        // A Task these stubs do not know (one added to the catalog) passes its input on.
        ...perTask(() => async (event: unknown) => event),
        Validate: async (event) => {
          calls.push("Validate");
          const req = expectShape(validators.thumbnailRequest, event, "Validate input");
          if (req.res !== "64x64" && req.res !== "128x128")
            throw new ValidationError("res must be one of 64x64, 128x128");
          const [w, h] = req.res.split("x").map(Number);
          const out: ValidatedRequest = {
            ...req,
            fit: req.fit ?? "inside",
            sourceKey: `uploads/${req.imageName}`,
            width: w ?? 0,
            height: h ?? 0,
          };
          return expectShape(validators.validatedRequest, out, "Validate output");
        },
        Fetch: async (event) => {
          calls.push("Fetch");
          const req = expectShape(validators.validatedRequest, event, "Fetch input");
          const thumbnailKey = `thumbnails/${req.imageName.split(".")[0]}/${ETAG}/${req.res}.${req.format}`;
          const cached = stored.has(thumbnailKey);
          const out: FetchedSource = { ...req, etag: ETAG, sourceBytes: 5000, thumbnailKey, cached };
          if (cached)
            out.thumbnail = { width: req.width, height: req.height / 2, bytes: 321, placeholder: PLACEHOLDER };
          return expectShape(validators.fetchedSource, out, "Fetch output");
        },
        Resize: async (event) => {
          calls.push("Resize");
          const src = expectShape(validators.fetchedSource, event, "Resize input");
          assert.equal(src.cached, false, "Resize runs only for thumbnails not stored yet");
          const out: ThumbnailReady = {
            ...src,
            stagingKey: src.thumbnailKey.replace(/^thumbnails\//, "staging/"),
            thumbnail: { width: src.width, height: src.height / 2, bytes: 321, placeholder: PLACEHOLDER },
          };
          return expectShape(validators.thumbnailReady, out, "Resize output");
        },
        StorePublic: async (event) => {
          calls.push("StorePublic");
          const ready = expectShape(validators.thumbnailReady, event, "StorePublic input");
          stored.add(ready.thumbnailKey);
          return ready;
        },
        ReturnUrl: async (event) => {
          calls.push("ReturnUrl");
          const ready = expectShape(validators.thumbnailReady, event, "ReturnUrl input");
          const out: ThumbnailResult = {
            url: `https://cdn.example.com/${ready.thumbnailKey}`,
            imageName: ready.imageName,
            res: ready.res,
            width: ready.thumbnail.width,
            height: ready.thumbnail.height,
            format: ready.format,
            fit: ready.fit,
            bytes: ready.thumbnail.bytes,
            cached: ready.cached,
            placeholder: ready.thumbnail.placeholder,
          };
          return expectShape(validators.thumbnailResult, out, "ReturnUrl output");
        },
      },
    });
  });

  afterEach(() => {
    engine.faults.clear();
    stored.clear();
    calls.length = 0;
  });

  const request = (requestId: string, res = "128x128") =>
    engine.startSyncExecution({
      stateMachineArn: SM_ARN,
      name: requestId,
      input: JSON.stringify({ requestId, imageName: IMAGE, res, format: "webp" }),
    });
  const statesOf = (name: string) => engine.getExecutionLog(name)?.states.map((s) => s.state);

  it("runs the happy path, then skips Resize when the thumbnail is already stored", async () => {
    const first = await request("req-cold");
    assert.equal(first.status, "SUCCEEDED", first.cause);
    const result: unknown = JSON.parse(first.output ?? "");
    assert.ok(validators.thumbnailResult(result), describeErrors(validators.thumbnailResult.errors));
    assert.equal(
      result.url,
      `https://cdn.example.com/thumbnails/0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b/${ETAG}/128x128.webp`,
    );
    assert.deepEqual([result.width, result.height, result.cached], [128, 64, false]);
    assert.deepEqual(statesOf("req-cold"), missPath());
    assert.ok(engine.getExecutionLog("req-cold")?.states.every((s) => s.error === undefined && s.retries === 0));

    const second = await request("req-warm");
    assert.equal(second.status, "SUCCEEDED", second.cause);
    assert.equal(JSON.parse(second.output ?? "").cached, true);
    assert.deepEqual(statesOf("req-warm"), ["Validate", "Fetch", "IsThumbnailStored", "ReturnUrl"]);
  });

  it("a ValidationError ends in the ValidationError Fail state with Lambda's cause for the API", async () => {
    const out = await request("req-bad-res", "512x512");
    assert.equal(out.status, "FAILED");
    assert.equal(out.error, "ValidationError");
    const cause = JSON.parse(out.cause ?? "");
    assert.equal(cause.errorType, "ValidationError");
    assert.equal(cause.errorMessage, "res must be one of 64x64, 128x128");
    assert.deepEqual(calls, ["Validate"]);
  });

  it("a Lambda service error in Fetch, once, is retried and the request succeeds", async () => {
    engine.faults.add({ state: "Fetch", error: { name: "Lambda.ServiceException" }, times: 1 });
    const out = await request("req-retry");
    assert.equal(out.status, "SUCCEEDED", out.cause);
    const fetch = engine.getExecutionLog("req-retry")?.states.find((s) => s.state === "Fetch");
    assert.equal(fetch?.retries, 1);
  });

  it("a Lambda service error in Fetch, always, ends in ServiceUnavailable after the retry budget", async () => {
    engine.faults.add({ state: "Fetch", error: { name: "Lambda.ServiceException" } });
    const out = await request("req-unavailable");
    assert.equal(out.status, "FAILED");
    assert.equal(out.error, "ServiceUnavailable");
    assert.equal(out.cause, "A dependency stayed unavailable after retries.");
    assert.deepEqual(statesOf("req-unavailable"), ["Validate", "Fetch", "ServiceUnavailable"]);
    assert.equal(engine.getExecutionLog("req-unavailable")?.states[1]?.retries, 1);
  });

  it("a Task over its TimeoutSeconds ends in WorkflowTimeout, never SUCCEEDED", async () => {
    const held = holdTask(engine.faults, "ReturnUrl", 2); // both attempts, past ReturnUrl's TimeoutSeconds of 1
    const out = await request("req-slow");
    await held.release();
    assert.equal(out.status, "FAILED");
    assert.equal(out.error, "WorkflowTimeout");
    const returnUrl = engine.getExecutionLog("req-slow")?.states.find((s) => s.state === "ReturnUrl");
    assert.equal(returnUrl?.error, "States.Timeout");
  });

  it("a state output over 256 KiB fails with States.DataLimitExceeded, not the InternalError catch-all", async () => {
    const big = createLocalStepFunctions({
      definition: await renderedDefinition(),
      stateMachineArn: SM_ARN,
      retryIntervalOverrides: perTask(() => 0),
      handlers: {
        Validate: async (e) => ({ ...asRecord(e), sourceKey: `uploads/${IMAGE}`, width: 64, height: 64 }),
        Fetch: async (e) => ({ ...asRecord(e), cached: false }),
        Resize: async () => ({ bytes: "A".repeat(300 * 1024) }), // image bytes in the payload: the bug the quota catches
        StorePublic: async (e) => e,
        ReturnUrl: async (e) => e,
      },
    });
    const out = await big.startSyncExecution({
      stateMachineArn: SM_ARN,
      name: "req-big",
      input: JSON.stringify({ requestId: "req-big" }),
    });
    assert.equal(out.status, "FAILED");
    assert.equal(out.error, "States.DataLimitExceeded");
    assert.deepEqual(
      big.getExecutionLog("req-big")?.states.map((s) => s.state),
      ["Validate", "Fetch", "IsThumbnailStored", "Resize"],
    );
  });
});
