/** Ops: alarms on what matters, a dashboard, a saved query from a request id, and the stack outputs. */
import { strict as assert } from "node:assert";
import { FUNCTION_NAMES, type FunctionName } from "../../infra/catalog";
import { EXECUTION_SERVER_ERROR_PATTERN, EXECUTION_TIMEOUT_PATTERN } from "../../infra/observability";
import { ACCOUNT, REGION } from "./support/mocks";
import { PREFIX, at, loadProgram, ofType, one, text, type ProgramRun } from "./support/program";

/**
 * Error alarm thresholds as reviewed: one error of an API function (they answer 4xx themselves) or of
 * return-url is a bug; the other tasks' typed client errors count as Lambda errors, so a burst.
 */
const ERROR_THRESHOLD: Partial<Record<FunctionName, number>> = {
  presign: 1,
  config: 1,
  thumbnail: 1,
  validate: 10,
  fetch: 10,
  resize: 10,
  "store-public": 10,
  "return-url": 1,
};

describe("infra program: monitoring", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  const alarm = (id: string): Record<string, unknown> =>
    one(run.resources, "aws:cloudwatch/metricAlarm:MetricAlarm", `monitoring-${id}`).inputs;
  before(async () => {
    run = await loadProgram();
  });

  it("every alarm notifies the alarm topic, which mails the configured address", () => {
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:${PREFIX}-alarms`;
    assert.equal(run.outputs["alarmTopicArn"], topicArn);
    const alarms = ofType(run.resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.equal(alarms.length, 4 + 2 * FUNCTION_NAMES.length);
    for (const a of alarms) {
      assert.deepEqual(a.inputs["alarmActions"], [topicArn], a.name);
      assert.equal(a.inputs["treatMissingData"], "notBreaching");
      assert.match(text(a.inputs["name"]), new RegExp(`^${PREFIX}-`));
    }
    const subscription = one(
      run.resources,
      "aws:sns/topicSubscription:TopicSubscription",
      "monitoring-alarms-email",
    ).inputs;
    assert.deepEqual([subscription["protocol"], subscription["endpoint"]], ["email", "ops@example.com"]);
  });

  it("alarms on API 5xx and p99 latency", () => {
    const errors = alarm("api-5xx");
    assert.deepEqual(
      [errors["namespace"], errors["metricName"], errors["statistic"]],
      ["AWS/ApiGateway", "5xx", "Sum"],
    );
    assert.deepEqual(errors["dimensions"], { ApiId: "a1b2c3" });
    const latency = alarm("api-latency-p99");
    assert.deepEqual(
      [latency["metricName"], latency["extendedStatistic"], latency["threshold"]],
      ["Latency", "p99", 10000],
    );
    assert.deepEqual(latency["dimensions"], { ApiId: "a1b2c3" });
  });

  it("alarms on executions that failed by our fault, and on timeouts, counted from the execution log", () => {
    const logGroup = `/aws/vendedlogs/states/${PREFIX}-thumbnail`;
    const failures = one(
      run.resources,
      "aws:cloudwatch/logMetricFilter:LogMetricFilter",
      "monitoring-execution-server-errors",
    ).inputs;
    assert.equal(failures["logGroupName"], logGroup);
    assert.equal(failures["pattern"], EXECUTION_SERVER_ERROR_PATTERN);
    const timeouts = one(
      run.resources,
      "aws:cloudwatch/logMetricFilter:LogMetricFilter",
      "monitoring-execution-timeouts",
    ).inputs;
    assert.equal(timeouts["logGroupName"], logGroup);
    assert.equal(timeouts["pattern"], EXECUTION_TIMEOUT_PATTERN);
    assert.deepEqual(
      [alarm("execution-failures")["metricName"], alarm("execution-failures")["namespace"]],
      [at(failures, "metricTransformation", "name"), at(failures, "metricTransformation", "namespace")],
    );
    assert.deepEqual(
      [alarm("execution-timeouts")["metricName"], alarm("execution-timeouts")["threshold"]],
      ["ExecutionTimeouts", 1],
    );
  });

  for (const fn of FUNCTION_NAMES) {
    it(`alarms on ${fn}'s errors and throttles`, () => {
      for (const [metric, id] of [
        ["Errors", `${fn}-errors`],
        ["Throttles", `${fn}-throttles`],
      ] as const) {
        const a = alarm(id);
        assert.deepEqual([a["namespace"], a["metricName"]], ["AWS/Lambda", metric]);
        assert.deepEqual(a["dimensions"], { FunctionName: `${PREFIX}-${fn}` });
      }
      const threshold = ERROR_THRESHOLD[fn];
      if (threshold !== undefined) assert.equal(alarm(`${fn}-errors`)["threshold"], threshold);
    });
  }

  it("a dashboard over the API, the executions and all functions", () => {
    const board = one(run.resources, "aws:cloudwatch/dashboard:Dashboard", "monitoring-dashboard").inputs;
    assert.equal(board["dashboardName"], PREFIX);
    const body = text(board["dashboardBody"]);
    for (const needle of [
      "a1b2c3",
      text(run.outputs["stateMachineArn"]),
      ...FUNCTION_NAMES.map((fn) => `${PREFIX}-${fn}`),
    ]) {
      assert.ok(body.includes(`"${needle}"`), needle);
    }
    assert.equal(
      run.outputs["dashboardUrl"],
      `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/${PREFIX}`,
    );
  });

  it("a saved query that finds one request across the access log, the executions and every function", () => {
    const query = one(
      run.resources,
      "aws:cloudwatch/queryDefinition:QueryDefinition",
      "monitoring-by-request-id",
    ).inputs;
    assert.equal(query["name"], `${PREFIX}/by-request-id`);
    assert.equal(run.outputs["requestQueryName"], `${PREFIX}/by-request-id`);
    assert.deepEqual(
      [...(Array.isArray(query["logGroupNames"]) ? query["logGroupNames"] : [])].sort(),
      [
        `/aws/apigateway/${PREFIX}-api/access`,
        `/aws/vendedlogs/states/${PREFIX}-thumbnail`,
        ...FUNCTION_NAMES.map((fn) => `/aws/lambda/${PREFIX}-${fn}`),
      ].sort(),
    );
    assert.match(text(query["queryString"]), /filter @message like "REQUEST_ID"/);
  });
});

describe("infra program: stack outputs", function () {
  this.timeout(60_000);
  it("name everything ops and the page need, including the executions console", async () => {
    const { outputs } = await loadProgram();
    assert.deepEqual(Object.keys(outputs).sort(), [
      "alarmTopicArn",
      "apiAccessLogGroup",
      "apiUrl",
      "architecture",
      "dashboardUrl",
      "deliveryMode",
      "requestQueryName",
      "siteBucketName",
      "siteUrl",
      "sourceBucketName",
      "stateMachineArn",
      "stateMachineExecutionsUrl",
      "stateMachineLogGroup",
      "thumbnailBaseUrl",
      "thumbnailBucketName",
    ]);
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${PREFIX}-thumbnail`;
    assert.equal(outputs["stateMachineArn"], arn);
    assert.equal(
      outputs["stateMachineExecutionsUrl"],
      `https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/statemachines/view/${encodeURIComponent(arn)}`,
    );
    assert.match(text(outputs["sourceBucketName"]), new RegExp(`^${PREFIX}-source-`));
    assert.match(text(outputs["thumbnailBucketName"]), new RegExp(`^${PREFIX}-thumbnails-`));
    assert.match(text(outputs["siteBucketName"]), new RegExp(`^${PREFIX}-site-`));
  });
});
