/**
 * Alarms, a dashboard and the saved "one request" query. Alarms notify an SNS topic (with an email
 * subscription when alarmEmail is set) on: API 5xx, p99 latency, workflow failures that are ours
 * (InternalError, ServiceUnavailable), workflow timeouts, and each function's errors and throttles.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_NAMES, entryOf, perFunction, type FunctionName } from "./catalog";
import {
  EXECUTION_SERVER_ERROR_PATTERN,
  EXECUTION_TIMEOUT_PATTERN,
  dashboardBody,
  dashboardConsoleUrl,
  requestTraceQuery,
} from "./observability";

/** A few 503s (throttled dependencies, retried in vain) happen; five in five minutes is a trend. */
export const API_5XX_THRESHOLD = 5;
/**
 * Errors of the API-facing functions are bugs (they answer 4xx themselves); task functions that throw
 * typed client errors (ImageNotFound, UnsupportedImageType, ...: clientErrors in the catalog) have
 * them counted as errors by Lambda too, so only a burst of those is worth a page. Our own task
 * failures alarm via execution-failures.
 */
export const ERROR_THRESHOLDS: Record<FunctionName, number> = perFunction((name) => {
  const entry = entryOf(name);
  return entry.kind === "task" && entry.clientErrors ? 10 : 1;
});

export function metricsNamespace(prefix: string): string {
  return `ThumbnailService/${prefix}`;
}

export interface MonitoringArgs {
  prefix: string;
  region: pulumi.Input<string>;
  apiId: pulumi.Input<string>;
  stateMachineArn: pulumi.Input<string>;
  stateMachineLogGroupName: pulumi.Input<string>;
  accessLogGroupName: pulumi.Input<string>;
  /** Physical function names by function. */
  functionNames: Record<FunctionName, pulumi.Input<string>>;
  functionLogGroupNames: pulumi.Input<string>[];
  latencyAlarmP99Ms: number;
  alarmEmail?: string;
}

const PERIOD_SECONDS = 300;

export class Monitoring extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly dashboardUrl: pulumi.Output<string>;
  readonly requestQuery: aws.cloudwatch.QueryDefinition;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:Monitoring", name, {}, opts);
    const parent = { parent: this };
    const p = args.prefix;
    const namespace = metricsNamespace(p);

    this.topic = new aws.sns.Topic(`${name}-alarms`, { name: `${p}-alarms` }, parent);
    if (args.alarmEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
        parent,
      );
    }
    const notify = { alarmActions: [this.topic.arn], okActions: [this.topic.arn], treatMissingData: "notBreaching" };
    const alarm = (
      id: string,
      description: string,
      a: Omit<aws.cloudwatch.MetricAlarmArgs, "name">,
    ): aws.cloudwatch.MetricAlarm =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${id}`,
        { name: `${p}-${id}`, alarmDescription: description, ...notify, ...a },
        parent,
      );

    alarm("api-5xx", `More than ${API_5XX_THRESHOLD - 1} API 5xx answers in 5 minutes.`, {
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimensions: { ApiId: args.apiId },
      statistic: "Sum",
      period: PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: API_5XX_THRESHOLD,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    alarm("api-latency-p99", `API p99 latency above ${args.latencyAlarmP99Ms} ms for 10 of the last 15 minutes.`, {
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimensions: { ApiId: args.apiId },
      extendedStatistic: "p99",
      period: PERIOD_SECONDS,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: args.latencyAlarmP99Ms,
      comparisonOperator: "GreaterThanThreshold",
      evaluateLowSampleCountPercentiles: "ignore",
    });

    // Counted from the execution log: ExecutionsFailed also counts every client error.
    const logMetric = (id: string, metricName: string, pattern: string): aws.cloudwatch.LogMetricFilter =>
      new aws.cloudwatch.LogMetricFilter(
        `${name}-${id}`,
        {
          name: `${p}-${id}`,
          logGroupName: args.stateMachineLogGroupName,
          pattern,
          metricTransformation: { name: metricName, namespace, value: "1", unit: "Count" },
        },
        parent,
      );
    const serverErrors = logMetric("execution-server-errors", "ExecutionServerErrors", EXECUTION_SERVER_ERROR_PATTERN);
    const timeouts = logMetric("execution-timeouts", "ExecutionTimeouts", EXECUTION_TIMEOUT_PATTERN);
    alarm(
      "execution-failures",
      "Executions ended in InternalError or ServiceUnavailable (our faults, not the client's).",
      {
        namespace,
        metricName: serverErrors.metricTransformation.name,
        statistic: "Sum",
        period: PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
      },
    );
    alarm("execution-timeouts", "Executions or their tasks timed out (WorkflowTimeout, 504).", {
      namespace,
      metricName: timeouts.metricTransformation.name,
      statistic: "Sum",
      period: PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });

    for (const fn of FUNCTION_NAMES) {
      const physicalName = args.functionNames[fn];
      const threshold = ERROR_THRESHOLDS[fn];
      alarm(`${fn}-errors`, `${fn}: ${threshold} or more errors in 5 minutes.`, {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: physicalName },
        statistic: "Sum",
        period: PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      alarm(`${fn}-throttles`, `${fn}: invocations throttled.`, {
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: physicalName },
        statistic: "Sum",
        period: PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }

    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: p,
        dashboardBody: pulumi
          .all([
            args.region,
            args.apiId,
            args.stateMachineArn,
            args.accessLogGroupName,
            pulumi.all(FUNCTION_NAMES.map((fn) => args.functionNames[fn])),
          ])
          .apply(([region, apiId, stateMachineArn, accessLogGroupName, functionNames]) =>
            dashboardBody({
              region,
              apiId,
              stateMachineArn,
              functionNames,
              accessLogGroupName,
              metricsNamespace: namespace,
              latencyAlarmP99Ms: args.latencyAlarmP99Ms,
            }),
          ),
      },
      parent,
    );
    this.dashboardUrl = pulumi.output(args.region).apply((region) => dashboardConsoleUrl(region, p));
    this.requestQuery = new aws.cloudwatch.QueryDefinition(
      `${name}-by-request-id`,
      {
        name: `${p}/by-request-id`,
        logGroupNames: [args.accessLogGroupName, args.stateMachineLogGroupName, ...args.functionLogGroupNames],
        queryString: requestTraceQuery(),
      },
      parent,
    );
    this.registerOutputs({
      topicArn: this.topic.arn,
      dashboardUrl: this.dashboardUrl,
      requestQueryName: this.requestQuery.name,
    });
  }
}
