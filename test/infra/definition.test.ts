/** The deployed definition: statemachine/thumbnail.asl.json with exactly the catalog Tasks' ARNs filled in. */
import { strict as assert } from "node:assert";
import { TASK_STATES, perTask } from "../../infra/catalog";
import {
  DefinitionRenderError,
  DefinitionShapeError,
  renderStateMachineDefinition,
  stateMachineTimeoutSeconds,
  taskTimeoutSeconds,
} from "../../infra/definition";
import { DEFINITION_TEMPLATE } from "../../statemachine/definition";

const ARNS = perTask((task) => `arn:aws:lambda:us-east-1:123456789012:function:thumbs-dev-${task.name}`);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function states(definition: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(definition);
  assert.ok(isRecord(parsed) && isRecord(parsed["States"]));
  return parsed["States"];
}

describe("infra: state machine definition", () => {
  it("fills every Task's Resource with its function's ARN and leaves no placeholder", () => {
    const rendered = renderStateMachineDefinition(ARNS);
    assert.ok(!rendered.includes("${"), "no placeholder left");
    const all = states(rendered);
    for (const state of TASK_STATES) {
      const task = all[state];
      assert.ok(isRecord(task));
      assert.equal(task["Resource"], ARNS[state]);
    }
    // Only the placeholders changed: the rest of the definition is the file's.
    const template = states(DEFINITION_TEMPLATE);
    for (const [name, state] of Object.entries(template)) {
      const renderedState = all[name];
      assert.ok(isRecord(state) && isRecord(renderedState), name);
      assert.deepEqual({ ...renderedState, Resource: undefined }, { ...state, Resource: undefined });
    }
  });

  it("refuses a template with a placeholder it has no value for", () => {
    const template = DEFINITION_TEMPLATE.replace(
      '"Comment": "Builds',
      '"Note": "${UnknownFunctionArn}", "Comment": "Builds',
    );
    assert.ok(template.includes("${UnknownFunctionArn}"));
    assert.throws(() => renderStateMachineDefinition(ARNS, template), DefinitionRenderError);
  });

  it("refuses a value no placeholder uses (a state and the program disagree)", () => {
    const template = DEFINITION_TEMPLATE.replace("${ReturnUrlFunctionArn}", ARNS.ReturnUrl);
    assert.throws(() => renderStateMachineDefinition(ARNS, template), /ReturnUrlFunctionArn/);
  });

  it("reads the state machine's and each Task's TimeoutSeconds", () => {
    assert.equal(stateMachineTimeoutSeconds(), 28);
    const { Validate, Fetch, Resize, StorePublic, ReturnUrl } = taskTimeoutSeconds();
    assert.deepEqual(
      { Validate, Fetch, Resize, StorePublic, ReturnUrl },
      { Validate: 1, Fetch: 2, Resize: 5, StorePublic: 2, ReturnUrl: 1 },
    );
  });

  it("refuses a definition whose Task has no TimeoutSeconds", () => {
    const parsed: unknown = JSON.parse(DEFINITION_TEMPLATE);
    assert.ok(isRecord(parsed) && isRecord(parsed["States"]) && isRecord(parsed["States"]["Resize"]));
    delete parsed["States"]["Resize"]["TimeoutSeconds"];
    assert.throws(() => taskTimeoutSeconds(JSON.stringify(parsed)), DefinitionShapeError);
  });
});
