/**
 * Every IAM and bucket policy of the service as plain documents, from plain ARNs: one role per
 * function allowing exactly its actions on exactly its resources, the grants of its catalog entry
 * (infra/catalog.ts). Tested without Pulumi (test/infra/policies.test.ts); the components only
 * stringify them.
 */
import { grantsOf, type Bucket, type FunctionName, type Place } from "./catalog";

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { Service: string } | { AWS: string };
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

const document = (statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** A trust policy: IAM refuses a Resource element in it. */
export interface TrustPolicyDocument {
  Version: "2012-10-17";
  Statement: { Sid: string; Effect: "Allow"; Principal: { Service: string }; Action: string[] }[];
}

/** Who may assume a role. */
export function assumeRolePolicy(service: "lambda.amazonaws.com" | "states.amazonaws.com"): TrustPolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "AssumeRole", Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole"] }],
  };
}

/** The ARNs a function's permissions refer to. */
export interface FunctionResources {
  sourceBucketArn: string;
  thumbnailBucketArn: string;
  /** The function's own log group (without the trailing `:*`). */
  logGroupArn: string;
  /** Only a function that runs the workflow (runsWorkflow in the catalog) needs it. */
  stateMachineArn?: string;
}

const objects = (bucketArn: string, prefix: string): string => `${bucketArn}/${prefix}*`;

/** ListBucket, limited to prefixes: lets HeadObject/GetObject of a missing key answer 404 instead of 403. */
const listUnder = (sid: string, bucketArn: string, prefixes: readonly string[]): PolicyStatement => ({
  Sid: sid,
  Effect: "Allow",
  Action: ["s3:ListBucket"],
  Resource: [bucketArn],
  Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
});

/** What a function may do beyond writing its logs and traces: its catalog entry's grants, as statements. */
export function functionStatements(name: FunctionName, r: FunctionResources): PolicyStatement[] {
  const bucketArn = (bucket: Bucket): string => (bucket === "source" ? r.sourceBucketArn : r.thumbnailBucketArn);
  const under = (places: readonly Place[]): string[] => places.map((p) => objects(bucketArn(p.bucket), p.prefix));
  return grantsOf(name).map((grant): PolicyStatement => {
    switch (grant.does) {
      case "read":
        return { Sid: grant.sid, Effect: "Allow", Action: ["s3:GetObject"], Resource: under(grant.on) };
      case "write":
        return { Sid: grant.sid, Effect: "Allow", Action: ["s3:PutObject"], Resource: under(grant.on) };
      case "list":
        return listUnder(grant.sid, bucketArn(grant.bucket), grant.prefixes);
      case "run-workflow":
        if (r.stateMachineArn === undefined)
          throw new Error(`the ${name} function's policy needs the state machine ARN`);
        return {
          Sid: grant.sid,
          Effect: "Allow",
          Action: ["states:StartSyncExecution"],
          Resource: [r.stateMachineArn],
        };
    }
  });
}

/** The whole inline policy of a function's role: its own log group, X-Ray, and its statements. */
export function functionPolicy(name: FunctionName, r: FunctionResources): PolicyDocument {
  return document([
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${r.logGroupArn}:*`],
    },
    // X-Ray has no resource-level permissions.
    {
      Sid: "WriteTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: ["*"],
    },
    ...functionStatements(name, r),
  ]);
}

/** The state machine's role: invoke exactly its task functions, deliver its logs, write traces. */
export function stateMachinePolicy(taskFunctionArns: string[]): PolicyDocument {
  return document([
    { Sid: "InvokeTasks", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [...taskFunctionArns] },
    {
      // CloudWatch Logs delivery for Step Functions is configured through these account-level APIs,
      // which take no resource ARN (Step Functions developer guide, "IAM policies for logging").
      Sid: "DeliverLogs",
      Effect: "Allow",
      Action: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      Resource: ["*"],
    },
    {
      Sid: "WriteTraces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: ["*"],
    },
  ]);
}

/** Every bucket refuses plain HTTP, whoever asks. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: ["s3:*"],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** CloudFront (this distribution only, through Origin Access Control) may read objects under prefix. */
export function cloudFrontRead(bucketArn: string, prefix: string, distributionArn: string): PolicyStatement {
  return {
    Sid: "AllowCloudFrontRead",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: ["s3:GetObject"],
    Resource: [objects(bucketArn, prefix)],
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

/** The simple delivery mode: anyone may read thumbnails/ and nothing else. */
export function publicRead(bucketArn: string, prefix: string): PolicyStatement {
  return {
    Sid: "AllowPublicRead",
    Effect: "Allow",
    Principal: "*",
    Action: ["s3:GetObject"],
    Resource: [objects(bucketArn, prefix)],
  };
}

export function bucketPolicy(bucketArn: string, statements: PolicyStatement[]): PolicyDocument {
  return document([denyInsecureTransport(bucketArn), ...statements]);
}
