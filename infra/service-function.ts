/**
 * One of the service's Lambdas with everything it owns: its bundle, its log group (with retention),
 * its own role whose inline policy allows exactly its actions on exactly its resources
 * (infra/policies.ts), X-Ray active tracing, and the service environment.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUNDLE_HANDLER } from "./bundle";
import { functionMemoryMb, perFunction, type FunctionName } from "./catalog";
import { assumeRolePolicy, functionPolicy } from "./policies";
import type { Architecture } from "./stack-config";
import { functionTimeoutSeconds } from "./timeouts";

/** What all functions share. */
export interface FunctionSettings {
  prefix: string;
  architecture: Architecture;
  memoryMb: number;
  resizeMemoryMb: number;
  logRetentionDays: number;
  /** Each function's bundle directory, being built. */
  bundles: Record<FunctionName, Promise<string>>;
  /** configToEnv's output for the service (infra/environment.ts). */
  environment: pulumi.Input<Record<string, string>>;
  sourceBucketArn: pulumi.Input<string>;
  thumbnailBucketArn: pulumi.Input<string>;
}

export const LAMBDA_RUNTIME = "nodejs22.x";

export function functionName(prefix: string, name: FunctionName): string {
  return `${prefix}-${name}`;
}

export function functionLogGroupName(prefix: string, name: FunctionName): string {
  return `/aws/lambda/${functionName(prefix, name)}`;
}

export interface ServiceFunctionArgs {
  settings: FunctionSettings;
  /** The environment and policy of a function that runs the workflow (runsWorkflow) name the state machine. */
  stateMachineArn?: pulumi.Input<string>;
  /** Replaces settings.environment (that of a function that runs the workflow includes STATE_MACHINE_ARN). */
  environment?: pulumi.Input<Record<string, string>>;
}

export class ServiceFunction extends pulumi.ComponentResource {
  readonly key: FunctionName;
  readonly function: aws.lambda.Function;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly role: aws.iam.Role;

  constructor(name: FunctionName, args: ServiceFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:ServiceFunction", name, {}, opts);
    this.key = name;
    const s = args.settings;
    const parent = { parent: this };
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: functionLogGroupName(s.prefix, name), retentionInDays: s.logRetentionDays },
      parent,
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")),
        description: `${functionName(s.prefix, name)} function`,
      },
      parent,
    );
    const permissions = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([s.sourceBucketArn, s.thumbnailBucketArn, this.logGroup.arn, args.stateMachineArn])
          .apply(([sourceBucketArn, thumbnailBucketArn, logGroupArn, stateMachineArn]) =>
            JSON.stringify(
              functionPolicy(name, {
                sourceBucketArn,
                thumbnailBucketArn,
                logGroupArn,
                ...(stateMachineArn !== undefined ? { stateMachineArn } : {}),
              }),
            ),
          ),
      },
      parent,
    );
    this.function = new aws.lambda.Function(
      name,
      {
        name: functionName(s.prefix, name),
        runtime: LAMBDA_RUNTIME,
        handler: BUNDLE_HANDLER,
        code: s.bundles[name].then((dir) => new pulumi.asset.FileArchive(dir)),
        architectures: [s.architecture],
        memorySize: functionMemoryMb(name, s),
        timeout: functionTimeoutSeconds(name),
        role: this.role.arn,
        environment: { variables: args.environment ?? s.environment },
        tracingConfig: { mode: "Active" },
        // System INFO: each invocation's platform.report record (Duration, Max Memory Used, Init Duration) reaches the
        // log group.
        loggingConfig: {
          logFormat: "JSON",
          logGroup: this.logGroup.name,
          applicationLogLevel: "INFO",
          systemLogLevel: "INFO",
        },
      },
      // The log group must exist before the first invocation, and the role must already allow what the code does.
      { parent: this, dependsOn: [permissions, this.logGroup] },
    );
    this.registerOutputs({ functionName: this.function.name, functionArn: this.function.arn });
  }
}

/** One value per function, from the built functions; throws if one is missing. */
export function byFunction<T>(functions: ServiceFunction[], pick: (fn: ServiceFunction) => T): Record<FunctionName, T> {
  return perFunction((key) => {
    const found = functions.find((fn) => fn.key === key);
    if (found === undefined) throw new Error(`function ${key} was not built`);
    return pick(found);
  });
}
