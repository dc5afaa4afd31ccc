/**
 * Pulumi's unit-test mocks (as in Pulumi's mocha example): every resource the program registers is
 * recorded with its inputs, and gets the outputs AWS would compute (ARNs, names, domains) so that
 * the program's applies run. No CLI, no engine, no AWS.
 */
import * as pulumi from "@pulumi/pulumi";
import { waitForRPCs } from "@pulumi/pulumi/runtime/settings";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const PROJECT = "thumbnail-service";
/** The mocked account is a fresh one: Lambda's concurrent executions quota is 10. */
export const LAMBDA_CONCURRENCY = 10;

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const recorded: RecordedResource[] = [];

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str = (v: unknown, fallback: string): string => (typeof v === "string" && v.length > 0 ? v : fallback);

/** What AWS would fill in for a resource of this type. */
function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const slug = name.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = `${str(inputs["bucketPrefix"], `${slug}-`)}0a1b2c3d`;
      return {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketRegionalDomainName: `${bucket}.s3.${REGION}.amazonaws.com`,
      };
    }
    case "aws:lambda/function:Function": {
      const fn = str(inputs["name"], slug);
      const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}`;
      return {
        name: fn,
        arn,
        invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${str(inputs["name"], slug)}` };
    case "aws:iam/role:Role":
      return { name: `${slug}-r4nd0m`, arn: `arn:aws:iam::${ACCOUNT}:role/${slug}-r4nd0m` };
    case "aws:sfn/stateMachine:StateMachine":
      return { arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${str(inputs["name"], slug)}` };
    case "aws:cloudfront/distribution:Distribution":
      return {
        arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E${slug.toUpperCase()}`,
        domainName: `d-${slug}.cloudfront.net`,
      };
    case "aws:apigatewayv2/api:Api":
      return {
        apiEndpoint: `https://a1b2c3.execute-api.${REGION}.amazonaws.com`,
        executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3`,
      };
    case "aws:sns/topic:Topic":
      return { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${str(inputs["name"], slug)}` };
    default:
      return {};
  }
}

const ids: Record<string, string> = { "aws:apigatewayv2/api:Api": "a1b2c3" };

pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
      const inputs: unknown = args.inputs;
      const given = isRecord(inputs) ? inputs : {};
      recorded.push({ type: args.type, name: args.name, inputs: given });
      return { id: ids[args.type] ?? `${args.name}-id`, state: { ...given, ...computed(args.type, args.name, given) } };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
      const inputs: unknown = args.inputs;
      const given = isRecord(inputs) ? inputs : {};
      switch (args.token) {
        case "aws:index/getRegion:getRegion":
          return {
            region: REGION,
            name: REGION,
            id: REGION,
            endpoint: `ec2.${REGION}.amazonaws.com`,
            description: "mock",
          };
        case "aws:cloudfront/getCachePolicy:getCachePolicy":
        case "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy":
          return { id: `policy-${str(given["name"], "unnamed")}`, name: given["name"] };
        case "aws:servicequotas/getServiceQuota:getServiceQuota":
          if (given["serviceCode"] === "lambda" && given["quotaCode"] === "L-B99A9384") {
            const quota = { serviceCode: "lambda", quotaCode: "L-B99A9384", quotaName: "Concurrent executions" };
            return { ...quota, value: LAMBDA_CONCURRENCY, defaultValue: 1000 };
          }
          throw new Error(`no mock for quota ${JSON.stringify(given)}`);
        case "aws:s3/getAccountPublicAccessBlock:getAccountPublicAccessBlock":
          return {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          };
        default:
          return {};
      }
    },
  },
  PROJECT,
  `infra-test-${process.pid}`,
  false,
);

/** Resolves with an output's value (mocks never leave values unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/**
 * Resolves once every resource constructed so far is registered (its inputs resolved, bundles built
 * included), and every invoke has answered: the SDK's own count of RPCs in flight, which it also waits
 * on before disconnecting. An event, not a quiet period on the clock.
 */
export function settled(): Promise<void> {
  return waitForRPCs();
}
