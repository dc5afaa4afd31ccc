/** What ops read: access log lines keyed by requestId, failure patterns, links, the dashboard. */
import { strict as assert } from "node:assert";
import {
  EXECUTION_SERVER_ERROR_PATTERN,
  EXECUTION_TIMEOUT_PATTERN,
  REQUEST_ID_PLACEHOLDER,
  accessLogFormat,
  dashboardBody,
  dashboardConsoleUrl,
  requestTraceQuery,
  stateMachineConsoleUrl,
} from "../../infra/observability";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

describe("infra: observability helpers", () => {
  it("the access log is one JSON object per request carrying $context.requestId", () => {
    const format: unknown = JSON.parse(accessLogFormat());
    assert.ok(isRecord(format));
    assert.equal(format["requestId"], "$context.requestId");
    for (const field of ["routeKey", "status", "responseLatency", "integrationError"])
      assert.ok(field in format, field);
  });

  it("counts only our own failures and the timeouts", () => {
    assert.match(EXECUTION_SERVER_ERROR_PATTERN, /\$\.type = "ExecutionFailed"/);
    for (const code of ["InternalError", "ServiceUnavailable"])
      assert.ok(EXECUTION_SERVER_ERROR_PATTERN.includes(`"${code}"`));
    for (const code of [
      "ValidationError",
      "ImageNotFound",
      "UnsupportedImageType",
      "ImageTooLarge",
      "CorruptImage",
      "SourceChanged",
    ]) {
      assert.ok(!EXECUTION_SERVER_ERROR_PATTERN.includes(code), `${code} is the client's`);
    }
    assert.match(EXECUTION_TIMEOUT_PATTERN, /"ExecutionTimedOut"/);
    assert.match(EXECUTION_TIMEOUT_PATTERN, /"WorkflowTimeout"/);
  });

  it("the saved query finds every line mentioning a request id", () => {
    assert.match(requestTraceQuery(), new RegExp(`filter @message like "${REQUEST_ID_PLACEHOLDER}"`));
  });

  it("links to the state machine's executions and the dashboard", () => {
    const arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:thumbs-dev-thumbnail";
    assert.equal(
      stateMachineConsoleUrl("eu-west-1", arn),
      "https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/statemachines/view/arn%3Aaws%3Astates%3Aeu-west-1%3A123456789012%3AstateMachine%3Athumbs-dev-thumbnail",
    );
    assert.equal(
      dashboardConsoleUrl("eu-west-1", "thumbs-dev"),
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/thumbs-dev",
    );
  });

  it("the dashboard shows the API, the executions and every function", () => {
    const body: unknown = JSON.parse(
      dashboardBody({
        region: "eu-west-1",
        apiId: "abc123",
        stateMachineArn: "arn:sm",
        functionNames: ["thumbs-dev-presign", "thumbs-dev-resize"],
        accessLogGroupName: "/aws/apigateway/thumbs-dev-api/access",
        metricsNamespace: "ThumbnailService/thumbs-dev",
        latencyAlarmP99Ms: 10000,
      }),
    );
    assert.ok(isRecord(body) && Array.isArray(body["widgets"]));
    const text = JSON.stringify(body);
    for (const needle of [
      '"5xx"',
      '"abc123"',
      '"arn:sm"',
      '"ExecutionsFailed"',
      '"thumbs-dev-resize"',
      '"Throttles"',
      "ExecutionServerErrors",
      "SOURCE '/aws/apigateway/thumbs-dev-api/access'",
    ]) {
      assert.ok(text.includes(needle), needle);
    }
    for (const widget of body["widgets"]) {
      assert.ok(isRecord(widget) && typeof widget["x"] === "number" && typeof widget["width"] === "number");
      assert.ok(widget["x"] + widget["width"] <= 24, "fits the 24-column grid");
    }
  });
});
