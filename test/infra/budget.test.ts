/**
 * The time budget: each Task's Step Functions timeout fires before its Lambda's own, the whole
 * execution ends before the API function does, and that before API Gateway's 30 s cut-off.
 */
import { strict as assert } from "node:assert";
import { FUNCTION_NAMES, TASK_FUNCTIONS, TASK_STATES, functionMemoryMb } from "../../infra/catalog";
import { taskTimeoutSeconds } from "../../infra/definition";
import { HTTP_API_INTEGRATION_TIMEOUT_MS, functionTimeoutSeconds, timeBudget } from "../../infra/timeouts";
import { CONFIG_DEFAULTS } from "../../lambdas/shared/config";
import { STACK_DEFAULTS } from "../../infra/stack-config";

describe("infra: time budget", () => {
  const tasks = taskTimeoutSeconds();

  for (const state of TASK_STATES) {
    it(`${state}: the Lambda timeout is a little above the Task's TimeoutSeconds`, () => {
      const lambda = functionTimeoutSeconds(TASK_FUNCTIONS[state]);
      assert.ok(lambda > tasks[state], `${lambda} s must exceed ${tasks[state]} s`);
      assert.ok(lambda - tasks[state] <= 2, "but only a little: a stuck function must not linger");
    });
  }

  it("state machine 28 s < API function 29 s < HTTP API integration 30 s", () => {
    const budget = timeBudget();
    assert.deepEqual(budget, { stateMachineSeconds: 28, apiFunctionSeconds: 29, integrationSeconds: 30 });
    assert.ok(budget.stateMachineSeconds < budget.apiFunctionSeconds);
    assert.ok(budget.apiFunctionSeconds < budget.integrationSeconds);
    assert.equal(HTTP_API_INTEGRATION_TIMEOUT_MS, 30_000, "the HTTP API maximum");
    assert.equal(functionTimeoutSeconds("thumbnail"), 29);
  });

  it("every function answers within the integration timeout", () => {
    for (const name of FUNCTION_NAMES)
      assert.ok(functionTimeoutSeconds(name) * 1000 < HTTP_API_INTEGRATION_TIMEOUT_MS, name);
  });

  it("sharp's processing timeout ends a slow decode before the Resize task times out", () => {
    assert.ok(CONFIG_DEFAULTS.processingTimeoutSeconds < tasks.Resize);
  });

  it("resize gets the large memory, the rest the small", () => {
    for (const name of FUNCTION_NAMES) {
      assert.equal(functionMemoryMb(name, STACK_DEFAULTS), name === "resize" ? 3008 : 512);
    }
  });

  it("resize memory holds the largest allowed image decoded at 16 bits per channel, twice, plus the upload", () => {
    const decoded = CONFIG_DEFAULTS.maxInputPixels * 4 * 2; // RGBA, 16-bit
    const worstCase = 2 * decoded + CONFIG_DEFAULTS.maxUploadBytes; // a rotated copy for EXIF orientation
    assert.ok(
      STACK_DEFAULTS.resizeMemoryMb * 1024 * 1024 > worstCase * 1.5,
      "with headroom for Node and the allocator",
    );
  });
});
