/** The state machine as declared: EXPRESS, the repo's definition with these ARNs, logged and traced. */
import { strict as assert } from "node:assert";
import { TASK_FUNCTIONS, TASK_STATES } from "../../infra/catalog";
import { ACCOUNT, REGION } from "./support/mocks";
import { PREFIX, at, json, loadProgram, one, text, type ProgramRun } from "./support/program";

const functionArn = (fn: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-${fn}`;

describe("infra program: workflow", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  let machine: Record<string, unknown>;
  before(async () => {
    run = await loadProgram();
    machine = one(run.resources, "aws:sfn/stateMachine:StateMachine", "workflow").inputs;
  });

  it("is an EXPRESS state machine named per stack", () => {
    assert.equal(machine["type"], "EXPRESS");
    assert.equal(machine["name"], `${PREFIX}-thumbnail`);
  });

  it("runs statemachine/thumbnail.asl.json with each Task bound to its function's ARN", () => {
    const definition = json(machine["definition"]);
    assert.ok(!text(machine["definition"]).includes("${"));
    assert.equal(at(definition, "TimeoutSeconds"), 28);
    assert.equal(at(definition, "StartAt"), "Validate");
    for (const state of TASK_STATES) {
      assert.equal(at(definition, "States", state, "Resource"), functionArn(TASK_FUNCTIONS[state]), state);
    }
  });

  it("logs every event with its data to a /aws/vendedlogs/states/ group, so executions show in the console", () => {
    const group = one(run.resources, "aws:cloudwatch/logGroup:LogGroup", "workflow-logs").inputs;
    assert.equal(group["name"], `/aws/vendedlogs/states/${PREFIX}-thumbnail`);
    assert.equal(group["retentionInDays"], 30);
    assert.deepEqual(machine["loggingConfiguration"], {
      level: "ALL",
      includeExecutionData: true,
      logDestination: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vendedlogs/states/${PREFIX}-thumbnail:*`,
    });
    assert.equal(run.outputs["stateMachineLogGroup"], `/aws/vendedlogs/states/${PREFIX}-thumbnail`);
  });

  it("is traced with X-Ray", () => {
    assert.deepEqual(machine["tracingConfiguration"], { enabled: true });
  });

  it("has a role trusted by Step Functions that may invoke exactly its task functions", () => {
    const role = one(run.resources, "aws:iam/role:Role", "workflow-role");
    assert.deepEqual(at(json(role.inputs["assumeRolePolicy"]), "Statement", 0, "Principal"), {
      Service: "states.amazonaws.com",
    });
    assert.equal(machine["roleArn"], `arn:aws:iam::${ACCOUNT}:role/workflow-role-r4nd0m`);
    const policy = json(one(run.resources, "aws:iam/rolePolicy:RolePolicy", "workflow-policy").inputs["policy"]);
    const statements = at(policy, "Statement");
    assert.ok(Array.isArray(statements));
    const invoke = statements.filter((s) => JSON.stringify(at(s, "Action")).includes("lambda:"));
    assert.equal(invoke.length, 1);
    assert.deepEqual(at(invoke[0], "Action"), ["lambda:InvokeFunction"]);
    const resources = at(invoke[0], "Resource");
    assert.ok(Array.isArray(resources));
    assert.deepEqual([...resources].sort(), Object.values(TASK_FUNCTIONS).map(functionArn).sort());
  });
});
