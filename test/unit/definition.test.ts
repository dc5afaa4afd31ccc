import { strict as assert } from "node:assert";
import aslValidator from "asl-validator";
import { TASKS, TASK_PLACEHOLDERS, perTask } from "../../infra/catalog";
import { ERROR_CODES, isErrorCode } from "../../lambdas/shared/errors";
import {
  DEFINITION_TEMPLATE,
  DefinitionRenderError,
  placeholderValues,
  renderDefinition,
} from "../../statemachine/definition";

const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const arns = placeholderValues(perTask((task) => arn(task.name)));

interface State {
  Type: string;
  Error?: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}
const rendered: { States: Record<string, State> } = JSON.parse(renderDefinition(arns));

describe("statemachine definition", () => {
  it("is valid ASL according to asl-validator, ARNs and paths checked", () => {
    const result = aslValidator(rendered, { checkArn: true, checkPaths: true });
    assert.equal(result.isValid, true, result.errorsText("\n"));
  });

  it("names the states ops read in the console", () => {
    for (const name of ["Validate", "Fetch", "Resize", "StorePublic", "ReturnUrl"]) {
      assert.equal(rendered.States[name]?.Type, "Task", name);
    }
    assert.equal(rendered.States["IsThumbnailStored"]?.Type, "Choice");
  });

  it("fills every Task resource with its function ARN", () => {
    for (const { name, state } of TASKS) {
      assert.equal(rendered.States[state]?.Resource, arn(name));
      assert.equal(arns[TASK_PLACEHOLDERS[state]], arn(name));
    }
    assert.doesNotMatch(JSON.stringify(rendered), /\$\{/);
  });

  it("refuses a missing or an unused placeholder value", () => {
    const { ResizeFunctionArn: _omitted, ...missing } = arns;
    assert.throws(() => renderDefinition(missing), DefinitionRenderError);
    assert.throws(() => renderDefinition({ ...arns, ThumbnailFunctionArn: arn("x") }), DefinitionRenderError);
  });

  it("cannot be broken out of by a value with quotes", () => {
    const out = renderDefinition({ ...arns, ValidateFunctionArn: 'x","Type":"Pass' });
    assert.equal(JSON.parse(out).States.Validate.Type, "Task");
  });

  it("has a Fail state for every contract error code and no other", () => {
    const failErrors = Object.values(rendered.States)
      .filter((s) => s.Type === "Fail")
      .map((s) => s.Error)
      .sort();
    assert.deepEqual(failErrors, [...ERROR_CODES].sort());
  });

  it("catches only error names the code can raise, each into the Fail state of the same name", () => {
    const known = new Set<string>([...ERROR_CODES, "States.ALL", "States.Timeout"]);
    for (const [name, state] of Object.entries(rendered.States)) {
      for (const c of state.Catch ?? []) {
        for (const e of c.ErrorEquals) {
          assert.ok(known.has(e) || e.startsWith("Lambda."), `${name} catches unknown error ${e}`);
          if (isErrorCode(e)) {
            assert.ok(c.Next === e || e === "ServiceUnavailable", `${name}: ${e} goes to ${c.Next}`);
          }
        }
      }
    }
    assert.ok(DEFINITION_TEMPLATE.length > 0);
  });
});
