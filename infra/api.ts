/**
 * The HTTP API and the catalog's API functions: GET /uploadURL (presign), GET /config (config) and
 * GET /thumbnail (thumbnail, which runs the workflow with StartSyncExecution, naming the execution
 * after the request id it returns as x-request-id). CORS for the allowed origins is answered by
 * API Gateway itself, preflights and error responses included; the $default stage throttles and
 * writes one JSON access-log line per request, keyed by requestId. With `auth`, a JWT authorizer
 * guards /uploadURL and /thumbnail (AUTHORIZED_ROUTES) and refuses a bad token with 401 before any
 * function runs; without it the API is open, and `pulumi up` says so.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_ENV } from "../lambdas/shared/config";
import { API_FUNCTIONS, AUTHORIZED_ROUTES, runsWorkflow } from "./catalog";
import { apiCors } from "./cors";
import { accessLogFormat } from "./observability";
import { ServiceFunction, type FunctionSettings } from "./service-function";
import type { JwtAuthSettings } from "./stack-config";
import { HTTP_API_INTEGRATION_TIMEOUT_MS } from "./timeouts";

export interface ApiArgs {
  settings: FunctionSettings;
  allowedOrigins: pulumi.Input<string[]>;
  stateMachineArn: pulumi.Input<string>;
  throttle: { rateLimit: number; burstLimit: number };
  /** Sign-in required on AUTHORIZED_ROUTES; undefined leaves the API open. */
  auth?: JwtAuthSettings;
}

export const STAGE_NAME = "$default";

export function apiName(prefix: string): string {
  return `${prefix}-api`;
}

export function accessLogGroupName(prefix: string): string {
  return `/aws/apigateway/${apiName(prefix)}/access`;
}

/** Where API Gateway reads the token; it accepts it bare or after `Bearer `. */
export const JWT_IDENTITY_SOURCE = "$request.header.Authorization";

export const OPEN_API_WARNING =
  "The API is open: anyone can get upload links and make thumbnails at your cost. Set thumbnail-service:jwtIssuer " +
  "and thumbnail-service:jwtAudience to require sign-in (README: Access control).";

export function jwtAuthorizerName(prefix: string): string {
  return `${apiName(prefix)}-jwt`;
}

/** The route's authorization: the JWT authorizer on AUTHORIZED_ROUTES when there is one, else none. */
export function routeAuthorization(
  routeKey: string,
  authorizerId: pulumi.Input<string> | undefined,
): { authorizationType: "JWT"; authorizerId: pulumi.Input<string> } | { authorizationType: "NONE" } {
  const guarded = AUTHORIZED_ROUTES.some((key) => key === routeKey);
  return guarded && authorizerId !== undefined
    ? { authorizationType: "JWT", authorizerId }
    : { authorizationType: "NONE" };
}

/** "GET /thumbnail" -> "GET/thumbnail", the method/path tail of an execute-api ARN. */
export function routeArnSuffix(routeKey: string): string {
  const [method, path] = routeKey.split(" ");
  if (method === undefined || path === undefined || !path.startsWith("/"))
    throw new Error(`not a route key: ${routeKey}`);
  return `${method}${path}`;
}

export class Api extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly authorizer: aws.apigatewayv2.Authorizer | undefined;
  readonly accessLogGroup: aws.cloudwatch.LogGroup;
  readonly functions: ServiceFunction[];
  /** https://<id>.execute-api.<region>.amazonaws.com, no trailing slash. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:Api", name, {}, opts);
    const s = args.settings;
    const parent = { parent: this };
    // A function that runs the workflow gets the state machine's ARN in its policy and environment.
    const workflowArgs = () => ({
      stateMachineArn: args.stateMachineArn,
      environment: pulumi
        .all([s.environment, args.stateMachineArn])
        .apply(([env, arn]) => ({ ...env, [CONFIG_ENV.stateMachineArn]: arn })),
    });
    const fns = API_FUNCTIONS.map((entry) => ({
      entry,
      service: new ServiceFunction(
        entry.name,
        { settings: s, ...(runsWorkflow(entry.name) ? workflowArgs() : {}) },
        parent,
      ),
    }));
    this.functions = fns.map(({ service }) => service);

    this.api = new aws.apigatewayv2.Api(
      name,
      {
        name: apiName(s.prefix),
        protocolType: "HTTP",
        corsConfiguration: pulumi.output(args.allowedOrigins).apply(apiCors),
      },
      parent,
    );
    this.authorizer = args.auth
      ? new aws.apigatewayv2.Authorizer(
          `${name}-jwt`,
          {
            apiId: this.api.id,
            name: jwtAuthorizerName(s.prefix),
            authorizerType: "JWT",
            identitySources: [JWT_IDENTITY_SOURCE],
            jwtConfiguration: { issuer: args.auth.issuer, audiences: [...args.auth.audiences] },
          },
          parent,
        )
      : undefined;
    if (!args.auth) void pulumi.log.warn(OPEN_API_WARNING, this);
    const routes = fns.map(({ entry: { route: routeKey, name: fnName }, service }) => {
      const fn = service.function;
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
        {
          apiId: this.api.id,
          routeKey,
          target: pulumi.interpolate`integrations/${integration.id}`,
          ...routeAuthorization(routeKey, this.authorizer?.id),
        },
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
