/** Execution status -> contract: never a 200 for a FAILED or TIMED_OUT execution. */
import { strict as assert } from "node:assert";
import { ERROR_STATUS, ServiceError } from "../../lambdas/shared/errors";
import { messageFromCause, outcomeToResult } from "../../lambdas/thumbnail/outcome";

const result = {
  url: "https://cdn.example.com/thumbnails/x/y/64x64.jpg",
  imageName: "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.jpg",
  res: "64x64",
  width: 64,
  height: 48,
  format: "jpeg",
  fit: "inside",
  bytes: 1234,
  cached: false,
  placeholder: "data:image/webp;base64,UklGRiQAAABXRUJQ",
};

function failsWith(outcome: Parameters<typeof outcomeToResult>[0], code: string, message?: RegExp) {
  assert.throws(
    () => outcomeToResult(outcome),
    (err: unknown) => {
      assert.ok(err instanceof ServiceError);
      assert.equal(err.name, code);
      if (message) assert.match(err.publicMessage, message);
      return true;
    },
  );
}

describe("thumbnail API: execution outcome", () => {
  it("returns a SUCCEEDED output that matches the result schema", () => {
    assert.deepEqual(outcomeToResult({ status: "SUCCEEDED", output: JSON.stringify(result) }), result);
  });

  it("refuses a SUCCEEDED output of the wrong shape as InternalError", () => {
    failsWith({ status: "SUCCEEDED", output: JSON.stringify({ ...result, url: 5 }) }, "InternalError");
    failsWith({ status: "SUCCEEDED", output: "not json" }, "InternalError");
  });

  it("maps TIMED_OUT and task timeouts to WorkflowTimeout (504)", () => {
    failsWith({ status: "TIMED_OUT" }, "WorkflowTimeout");
    failsWith({ status: "FAILED", error: "States.Timeout" }, "WorkflowTimeout");
    failsWith({ status: "FAILED", error: "WorkflowTimeout", cause: "x" }, "WorkflowTimeout");
  });

  it("shows a client error's Lambda errorMessage", () => {
    const cause = JSON.stringify({
      errorType: "UnsupportedImageType",
      errorMessage: "The file is an SVG document",
      trace: ["at x"],
    });
    failsWith(
      { status: "FAILED", error: "UnsupportedImageType", cause },
      "UnsupportedImageType",
      /^The file is an SVG document$/,
    );
  });

  it("never reveals a 5xx cause", () => {
    const cause = JSON.stringify({ errorType: "InternalError", errorMessage: "secret bucket arn:aws:s3:::x" });
    assert.throws(
      () => outcomeToResult({ status: "FAILED", error: "InternalError", cause }),
      (err: unknown) => {
        assert.ok(err instanceof ServiceError);
        assert.doesNotMatch(err.publicMessage, /secret|arn/);
        return true;
      },
    );
    failsWith(
      { status: "FAILED", error: "ServiceUnavailable", cause: "S3 503 at 10.0.0.1" },
      "ServiceUnavailable",
      /^[^0-9]*$/,
    );
  });

  it("treats unknown errors (DataLimitExceeded, Runtime) as InternalError", () => {
    failsWith({ status: "FAILED", error: "States.DataLimitExceeded" }, "InternalError");
    failsWith({ status: "FAILED", error: "States.Runtime" }, "InternalError");
    failsWith({ status: "ABORTED" }, "InternalError");
  });

  it("gives each code its contract status", () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      if (status >= 500) continue;
      assert.throws(
        () => outcomeToResult({ status: "FAILED", error: code, cause: "m" }),
        (err: unknown) => {
          assert.ok(err instanceof ServiceError);
          assert.equal(err.status, status);
          return true;
        },
      );
    }
  });

  it("reads messages from Lambda causes and plain causes, bounded", () => {
    assert.equal(messageFromCause(JSON.stringify({ errorMessage: "hi" })), "hi");
    assert.equal(messageFromCause("plain"), "plain");
    assert.equal(messageFromCause("x".repeat(5000))?.length, 500);
    assert.equal(messageFromCause(undefined), undefined);
  });
});
