/**
 * The contract's errors: an InternalError keeps its internal description and cause for the logs, and
 * what a client is shown of it is the fixed public text; the API and the Task adapter use them so.
 */
import { strict as assert } from "node:assert";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { apiHandler, errorBody } from "../../lambdas/shared/api";
import { parseConfig } from "../../lambdas/shared/config";
import {
  ImageNotFound,
  ImageTooLarge,
  InternalError,
  ServiceError,
  ServiceUnavailable,
  SourceChanged,
  WorkflowTimeout,
} from "../../lambdas/shared/errors";
import { taskHandler } from "../../lambdas/shared/task";
import * as validators from "../../lambdas/shared/validators";

const config = parseConfig({
  SOURCE_BUCKET: "src",
  THUMBNAIL_BUCKET: "thumbs",
  PUBLIC_BASE_URL: "https://cdn.example.com",
});

function event(): APIGatewayProxyEventV2 {
  const partial: Partial<APIGatewayProxyEventV2> = { rawPath: "/x", rawQueryString: "", headers: {} };
  return partial as APIGatewayProxyEventV2;
}

/** Runs `fn` with LOG_LEVEL=error and console.error captured; returns what it logged. */
async function errorLogOf(fn: () => Promise<unknown>): Promise<string> {
  const level = process.env["LOG_LEVEL"];
  const original = console.error;
  const lines: string[] = [];
  process.env["LOG_LEVEL"] = "error";
  console.error = (line: unknown) => lines.push(String(line));
  try {
    await fn();
  } finally {
    console.error = original;
    if (level === undefined) delete process.env["LOG_LEVEL"];
    else process.env["LOG_LEVEL"] = level;
  }
  return lines.join("\n");
}

describe("errors: InternalError(message, { cause })", () => {
  it("keeps the internal message and the cause; clients get the fixed text", () => {
    const cause = new TypeError("x is undefined");
    const err = new InternalError("StorePublic reached without a staged thumbnail", { cause });
    assert.equal(err.message, "StorePublic reached without a staged thumbnail");
    assert.equal(err.cause, cause);
    assert.equal(err.name, "InternalError");
    assert.equal(err.status, 500);
    assert.equal(err.publicMessage, InternalError.PUBLIC_MESSAGE);
    assert.deepEqual(errorBody(err, "r1"), {
      error: { code: "InternalError", message: InternalError.PUBLIC_MESSAGE },
      requestId: "r1",
    });
  });

  it("every other error shows its own message", () => {
    for (const err of [
      ImageNotFound.noUpload("a.jpg"),
      SourceChanged.replaced("a.jpg"),
      ImageTooLarge.upload(30, 20),
      ServiceUnavailable.dependency(),
      new WorkflowTimeout(),
    ]) {
      assert.ok(err instanceof ServiceError);
      assert.equal(err.publicMessage, err.message);
    }
    assert.equal(ImageTooLarge.upload(30, 20).message, "The upload is 30 bytes; the limit is 20 bytes.");
  });

  it("factories keep what they wrap as the cause", () => {
    const cause = new Error("NoSuchKey");
    assert.equal(ImageNotFound.deleted("a.jpg", { cause }).cause, cause);
    assert.equal(ServiceUnavailable.storage("reading the upload", { cause }).cause, cause);
    assert.equal(new WorkflowTimeout({ cause }).cause, cause);
  });

  it("the API answers an InternalError with the fixed text and logs the internal one", async () => {
    const handler = apiHandler(
      () => config,
      async () => {
        throw new InternalError("STATE_MACHINE_ARN is not set");
      },
    );
    let res: Awaited<ReturnType<typeof handler>> | undefined;
    const logged = await errorLogOf(async () => {
      res = await handler(event());
    });
    assert.equal(res?.statusCode, 500);
    const body: unknown = JSON.parse(res?.body ?? "");
    assert.deepEqual(body, {
      error: { code: "InternalError", message: InternalError.PUBLIC_MESSAGE },
      requestId: res?.headers?.["x-request-id"],
    });
    assert.doesNotMatch(res?.body ?? "", /STATE_MACHINE_ARN/);
    assert.match(logged, /"status":500/);
    assert.match(logged, /STATE_MACHINE_ARN is not set/);
  });

  it("the API turns an error outside the contract into an InternalError, its detail only in the log", async () => {
    const handler = apiHandler(
      () => config,
      async () => {
        throw new TypeError("secret detail");
      },
    );
    let res: Awaited<ReturnType<typeof handler>> | undefined;
    const logged = await errorLogOf(async () => {
      res = await handler(event());
    });
    assert.equal(res?.statusCode, 500);
    assert.doesNotMatch(res?.body ?? "", /secret|TypeError/);
    assert.match(logged, /secret detail/);
  });

  it("a Task's error outside the contract becomes an InternalError naming the state, the error its cause", async () => {
    const cause = new TypeError("secret detail");
    const spec = { state: "Fetch", input: validators.emptyQuery, output: validators.emptyQuery };
    const task = taskHandler(spec, async () => {
      throw cause;
    });
    const logged = await errorLogOf(async () => {
      await assert.rejects(task({}), (err: unknown) => {
        assert.ok(err instanceof InternalError);
        assert.match(err.message, /^Fetch /);
        assert.equal(err.cause, cause);
        assert.equal(err.publicMessage, InternalError.PUBLIC_MESSAGE);
        return true;
      });
    });
    assert.match(logged, /secret detail/);
  });
});
