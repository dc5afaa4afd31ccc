/**
 * The thumbnail workflow: the catalog's task functions and the EXPRESS state machine that runs them,
 * from statemachine/thumbnail.asl.json with their ARNs filled in. Every event with its data is
 * logged to a /aws/vendedlogs/states/ group, so executions (named by the API request id) show in
 * the console; X-Ray traces them end to end.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { perTask } from "./catalog";
import { renderStateMachineDefinition } from "./definition";
import { assumeRolePolicy, stateMachinePolicy } from "./policies";
import { ServiceFunction, type FunctionSettings } from "./service-function";

export interface WorkflowArgs {
  settings: FunctionSettings;
}

export function stateMachineName(prefix: string): string {
  return `${prefix}-thumbnail`;
}

export function stateMachineLogGroupName(prefix: string): string {
  return `/aws/vendedlogs/states/${stateMachineName(prefix)}`;
}

export class Workflow extends pulumi.ComponentResource {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly functions: ServiceFunction[];

  constructor(name: string, args: WorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:Workflow", name, {}, opts);
    const s = args.settings;
    const parent = { parent: this };
    const tasks = perTask((task) => new ServiceFunction(task.name, { settings: s }, parent));
    this.functions = Object.values(tasks);
    const arns = perTask((task) => tasks[task.state].function.arn);

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: stateMachineLogGroupName(s.prefix), retentionInDays: s.logRetentionDays },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: JSON.stringify(assumeRolePolicy("states.amazonaws.com")),
        description: `${stateMachineName(s.prefix)} state machine`,
      },
      parent,
    );
    const permissions = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi.all(Object.values(arns)).apply((list) => JSON.stringify(stateMachinePolicy(list))),
      },
      parent,
    );
    this.stateMachine = new aws.sfn.StateMachine(
      name,
      {
        name: stateMachineName(s.prefix),
        type: "EXPRESS",
        roleArn: role.arn,
        definition: pulumi.all(arns).apply((values) => renderStateMachineDefinition(values)),
        loggingConfiguration: {
          level: "ALL",
          includeExecutionData: true,
          logDestination: pulumi.interpolate`${this.logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      // Step Functions checks at creation that the role may invoke the tasks and deliver the logs.
      { parent: this, dependsOn: [permissions] },
    );
    this.registerOutputs({ stateMachineArn: this.stateMachine.arn, logGroupName: this.logGroup.name });
  }
}
