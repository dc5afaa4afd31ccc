/**
 * What ops read, as plain data: the API access log line, the log patterns that count our own
 * failures, console links, the saved "one request" query and the dashboard. The request id the API
 * returns in x-request-id is the HTTP API's $context.requestId and the execution's name, so it joins
 * the access log, the execution's log events and the functions' log lines.
 */

/** One JSON object per request; requestId first, as it is what ops search for. */
export const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  error: "$context.error.message",
  responseLength: "$context.responseLength",
} as const;

export function accessLogFormat(): string {
  return JSON.stringify(ACCESS_LOG_FIELDS);
}

/**
 * Client errors (400, 404, 409, 415, 422) end executions as FAILED too, so the raw ExecutionsFailed
 * metric mostly counts users' mistakes. These filters count only the outcomes that are ours.
 */
export const EXECUTION_SERVER_ERROR_PATTERN =
  '{ ($.type = "ExecutionFailed") && (($.details.error = "InternalError") || ($.details.error = "ServiceUnavailable")) }';
export const EXECUTION_TIMEOUT_PATTERN =
  '{ ($.type = "ExecutionTimedOut") || (($.type = "ExecutionFailed") && ($.details.error = "WorkflowTimeout")) }';

export const REQUEST_ID_PLACEHOLDER = "REQUEST_ID";

/** The saved Logs Insights query: every line of one request, across the API, workflow and function logs. */
export function requestTraceQuery(): string {
  return [
    "fields @timestamp, @log, type, routeKey, status, message, details.error, details.cause, @message",
    `| filter @message like "${REQUEST_ID_PLACEHOLDER}"`,
    "| sort @timestamp asc",
    "| limit 500",
  ].join("\n");
}

export function stateMachineConsoleUrl(region: string, stateMachineArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${encodeURIComponent(stateMachineArn)}`;
}

export function dashboardConsoleUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboardName)}`;
}

export interface DashboardInputs {
  region: string;
  apiId: string;
  stateMachineArn: string;
  /** Lambda function names, in display order. */
  functionNames: string[];
  accessLogGroupName: string;
  metricsNamespace: string;
  latencyAlarmP99Ms: number;
}

type MetricLine = (string | { stat?: string; label?: string })[];

function metricWidget(
  title: string,
  x: number,
  y: number,
  metrics: MetricLine[],
  region: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, view: "timeSeries", period: 60, metrics, ...extra },
  };
}

export function dashboardBody(d: DashboardInputs): string {
  const api = (metric: string, stat: string): MetricLine => [
    "AWS/ApiGateway",
    metric,
    "ApiId",
    d.apiId,
    { stat, label: `${metric} ${stat}` },
  ];
  const sfn = (metric: string, stat: string): MetricLine => [
    "AWS/States",
    metric,
    "StateMachineArn",
    d.stateMachineArn,
    { stat, label: `${metric} ${stat}` },
  ];
  const perFunction = (metric: string, stat: string): MetricLine[] =>
    d.functionNames.map((fn) => ["AWS/Lambda", metric, "FunctionName", fn, { stat, label: fn }]);
  const widgets = [
    {
      type: "text",
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: {
        markdown:
          "**One request:** Logs Insights → saved query *by-request-id* → replace REQUEST_ID with the `x-request-id` the client got. " +
          "It is the execution's name: the state machine's Executions tab finds it too.",
      },
    },
    metricWidget(
      "API requests and errors",
      0,
      2,
      [api("Count", "Sum"), api("4xx", "Sum"), api("5xx", "Sum")],
      d.region,
    ),
    metricWidget(
      "API latency (ms)",
      12,
      2,
      [api("Latency", "p50"), api("Latency", "p99"), api("IntegrationLatency", "p99")],
      d.region,
      {
        annotations: { horizontal: [{ label: "p99 alarm", value: d.latencyAlarmP99Ms }] },
      },
    ),
    metricWidget(
      "Executions",
      0,
      8,
      [
        sfn("ExecutionsStarted", "Sum"),
        sfn("ExecutionsSucceeded", "Sum"),
        sfn("ExecutionsFailed", "Sum"),
        sfn("ExecutionsTimedOut", "Sum"),
        [
          d.metricsNamespace,
          "ExecutionServerErrors",
          { stat: "Sum", label: "server errors (InternalError, ServiceUnavailable)" },
        ],
        [d.metricsNamespace, "ExecutionTimeouts", { stat: "Sum", label: "timeouts" }],
      ],
      d.region,
    ),
    metricWidget("Execution time (ms)", 12, 8, [sfn("ExecutionTime", "p50"), sfn("ExecutionTime", "p99")], d.region),
    metricWidget("Lambda errors", 0, 14, perFunction("Errors", "Sum"), d.region),
    metricWidget("Lambda throttles", 12, 14, perFunction("Throttles", "Sum"), d.region),
    metricWidget("Lambda duration p99 (ms)", 0, 20, perFunction("Duration", "p99"), d.region),
    metricWidget("Lambda concurrency", 12, 20, perFunction("ConcurrentExecutions", "Maximum"), d.region),
    {
      type: "log",
      x: 0,
      y: 26,
      width: 24,
      height: 6,
      properties: {
        title: "Recent 5xx answers",
        region: d.region,
        view: "table",
        query: [
          `SOURCE '${d.accessLogGroupName}'`,
          "| fields @timestamp, requestId, routeKey, status, integrationError, error",
          "| filter status >= 500",
          "| sort @timestamp desc",
          "| limit 20",
        ].join(" "),
      },
    },
  ];
  return JSON.stringify({ widgets });
}
