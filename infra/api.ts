/**
 * The HTTP API and its three functions: GET /uploadURL (presign), GET /config (config) and
 * GET /thumbnail (thumbnail, which runs the workflow with StartSyncExecution, naming the execution
 * after the request id it returns as x-request-id). CORS for the allowed origins is answered by
 * API Gateway itself, preflights and error responses included; the $default stage throttles and
 * writes one JSON access-log line per request, keyed by requestId.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_ENV } from "../lambdas/shared/config";
import { API_ROUTES, HTTP_API_INTEGRATION_TIMEOUT_MS, type ApiFunctionName } from "./catalog";
import { apiCors } from "./cors";
import { accessLogFormat } from "./observability";
import { ServiceFunction, type FunctionSettings } from "./service-function";

export interface ApiArgs {
  settings: FunctionSettings;
  allowedOrigins: pulumi.Input<string[]>;
  stateMachineArn: pulumi.Input<string>;
  throttle: { rateLimit: number; burstLimit: number };
}

export const STAGE_NAME = "$default";

export function apiName(prefix: string): string {
  return `${prefix}-api`;
}

export function accessLogGroupName(prefix: string): string {
  return `/aws/apigateway/${apiName(prefix)}/access`;
}

/** "GET /thumbnail" -> "GET/thumbnail", the method/path tail of an execute-api ARN. */
export function routeArnSuffix(routeKey: string): string {
  const [method, path] = routeKey.split(" ");
  if (method === undefined || path === undefined || !path.startsWith("/")) throw new Error(`not a route key: ${routeKey}`);
  return `${method}${path}`;
}

export class Api extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly accessLogGroup: aws.cloudwatch.LogGroup;
  readonly functions: ServiceFunction[];
  /** https://<id>.execute-api.<region>.amazonaws.com, no trailing slash. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:Api", name, {}, opts);
    const s = args.settings;
    const parent = { parent: this };
    const fns: Record<ApiFunctionName, ServiceFunction> = {
      presign: new ServiceFunction("presign", { settings: s }, parent),
      config: new ServiceFunction("config", { settings: s }, parent),
      thumbnail: new ServiceFunction(
        "thumbnail",
        {
          settings: s,
          stateMachineArn: args.stateMachineArn,
          environment: pulumi
            .all([s.environment, args.stateMachineArn])
            .apply(([env, arn]) => ({ ...env, [CONFIG_ENV.stateMachineArn]: arn })),
        },
        parent,
      ),
    };
    this.functions = Object.values(fns);

    this.api = new aws.apigatewayv2.Api(
      name,
      {
        name: apiName(s.prefix),
        protocolType: "HTTP",
        corsConfiguration: pulumi.output(args.allowedOrigins).apply(apiCors),
      },
      parent,
    );
    const routes = Object.entries(API_ROUTES).map(([routeKey, fnName]) => {
      const fn = fns[fnName].function;
      const integration = new aws.apigatewayv2.Integration(
        `${name}-${fnName}`,
        {
          apiId: this.api.id,
          integrationType: "AWS_PROXY",
          integrationMethod: "POST",
          integrationUri: fn.arn,
          payloadFormatVersion: "2.0",
          timeoutMilliseconds: HTTP_API_INTEGRATION_TIMEOUT_MS,
        },
        parent,
      );
      new aws.lambda.Permission(
        `${name}-${fnName}-invoke`,
        {
          action: "lambda:InvokeFunction",
          function: fn.name,
          principal: "apigateway.amazonaws.com",
          // This route of this API, any stage: nothing else may invoke the function.
          sourceArn: pulumi.interpolate`${this.api.executionArn}/*/${routeArnSuffix(routeKey)}`,
        },
        parent,
      );
      return new aws.apigatewayv2.Route(
        `${name}-${fnName}`,
        { apiId: this.api.id, routeKey, target: pulumi.interpolate`integrations/${integration.id}` },
        parent,
      );
    });

    this.accessLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { name: accessLogGroupName(s.prefix), retentionInDays: s.logRetentionDays },
      parent,
    );
    this.stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: this.api.id,
        name: STAGE_NAME,
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttle.rateLimit,
          throttlingBurstLimit: args.throttle.burstLimit,
        },
        accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: accessLogFormat() },
      },
      { parent: this, dependsOn: routes },
    );
    this.url = this.api.apiEndpoint;
    this.registerOutputs({ url: this.url, apiId: this.api.id });
  }
}
