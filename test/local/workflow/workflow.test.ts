/**
 * The whole definition through the ASL interpreter, each Task the real handler, against the local
 * S3: the happy path, the cache short-circuit, and every error code of the contract.
 */
import { strict as assert } from "node:assert";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "../../../lambdas/shared/s3-client";
import * as validators from "../../../lambdas/shared/validators";
import { jpeg, pngBombHeader, svgWithScript, truncatedJpeg } from "../../fixtures/images";
import { startTestService, type TestService } from "../../helpers/service";
import { holdTask } from "../../helpers/task-faults";
import { missPath } from "../../helpers/workflow-path";

describe("workflow: statemachine/ through the interpreter with the real handlers", function () {
  this.timeout(60_000);
  let svc: TestService;
  let n = 0;

  before(async () => {
    svc = await startTestService();
  });
  after(async () => svc?.stop());
  afterEach(() => svc.sfn.faults.clear());

  async function run(imageName: string, res = "256x256", format = "jpeg", extra: Record<string, unknown> = {}) {
    const name = `wf-${Date.now()}-${n++}`;
    const result = await svc.sfn.startSyncExecution({
      stateMachineArn: svc.config.stateMachineArn ?? "",
      name,
      input: JSON.stringify({ requestId: name, imageName, res, format, ...extra }),
    });
    const log = svc.sfn.getExecutionLog(name);
    assert.ok(log, "every execution keeps a state-by-state log");
    return { result, states: log.states.map((s) => s.state), log };
  }

  function failed(r: Awaited<ReturnType<typeof run>>, code: string, cause?: RegExp): void {
    assert.equal(r.result.status, "FAILED", JSON.stringify(r.result));
    assert.equal(r.result.error, code);
    if (cause) assert.match(r.result.cause ?? "", cause);
  }

  it("succeeds through all five Tasks, then takes the stored thumbnail without Resize", async () => {
    const { imageName } = await svc.upload(await jpeg(1600, 1200));
    const first = await run(imageName);
    assert.equal(first.result.status, "SUCCEEDED", first.result.cause);
    assert.deepEqual(first.states, missPath());
    const output: unknown = JSON.parse(first.result.output ?? "null");
    assert.ok(validators.thumbnailResult(output), "output matches the API's result schema");
    assert.deepEqual([output.width, output.height, output.cached], [256, 192, false]);
    for (const s of first.log.states)
      assert.ok(s.inputBytes < 2048 && (s.outputBytes ?? 0) < 2048, `${s.state} passes keys, not bytes`);

    const second = await run(imageName);
    assert.equal(second.result.status, "SUCCEEDED");
    assert.deepEqual(second.states, ["Validate", "Fetch", "IsThumbnailStored", "ReturnUrl"]);
    const cached: unknown = JSON.parse(second.result.output ?? "null");
    assert.ok(validators.thumbnailResult(cached));
    assert.deepEqual({ ...cached, cached: false }, output);
    assert.equal(cached.cached, true);
  });

  it("ValidationError for a size this deployment does not offer", async () => {
    failed(await run(`${crypto.randomUUID()}.jpg`, "100x100"), "ValidationError", /allowed: 64x64/);
  });

  it("ImageNotFound for a name never uploaded", async () => {
    failed(await run(`${crypto.randomUUID()}.jpg`), "ImageNotFound", /No upload named/);
  });

  it("UnsupportedImageType for an SVG, with nothing published", async () => {
    const { imageName } = await svc.upload(await svgWithScript());
    const r = await run(imageName);
    failed(r, "UnsupportedImageType");
    assert.ok(!r.states.includes("StorePublic"));
  });

  it("ImageTooLarge for a 20000x20000 PNG header", async () => {
    const { imageName } = await svc.upload(await pngBombHeader(20000, 20000), "png");
    failed(await run(imageName), "ImageTooLarge", /100000000/);
  });

  it("CorruptImage for a truncated JPEG", async () => {
    const { imageName } = await svc.upload(await truncatedJpeg());
    failed(await run(imageName), "CorruptImage");
  });

  it("SourceChanged when the upload is replaced between Fetch and Resize", async () => {
    const { imageName } = await svc.upload(await jpeg(800, 600, 1));
    // Replaced after Fetch has answered and before Resize is invoked: ordered by the fault's hook.
    const s3 = createS3Client(svc.config, svc.credentials);
    let replaced = false;
    svc.sfn.faults.add({
      state: "Resize",
      times: 1,
      before: async () => {
        await s3.send(
          new PutObjectCommand({
            Bucket: svc.config.sourceBucket,
            Key: `uploads/${imageName}`,
            Body: Buffer.from("new version"),
          }),
        );
        replaced = true;
      },
    });
    try {
      const r = await run(imageName);
      assert.ok(replaced, "replaced between Fetch and Resize");
      failed(r, "SourceChanged");
    } finally {
      s3.destroy();
    }
  });

  it("retries a transient Lambda error once and succeeds", async () => {
    const { imageName } = await svc.upload(await jpeg(300, 200));
    svc.sfn.faults.add({ state: "Fetch", error: { name: "Lambda.ServiceException", message: "injected" }, times: 1 });
    const r = await run(imageName);
    assert.equal(r.result.status, "SUCCEEDED", r.result.cause);
    assert.equal(r.log.states.find((s) => s.state === "Fetch")?.retries, 1);
  });

  it("ServiceUnavailable when a transient error outlasts the retries", async () => {
    const { imageName } = await svc.upload(await jpeg(300, 200));
    svc.sfn.faults.add({ state: "StorePublic", error: { name: "ServiceUnavailable", message: "injected" } });
    failed(await run(imageName), "ServiceUnavailable");
  });

  it("WorkflowTimeout when a Task outruns its TimeoutSeconds", async () => {
    const { imageName } = await svc.upload(await jpeg(300, 200));
    const held = holdTask(svc.sfn.faults, "ReturnUrl", 2); // both attempts, past its TimeoutSeconds of 1
    const r = await run(imageName);
    await held.release();
    failed(r, "WorkflowTimeout");
  });

  it("InternalError, with nothing internal in the cause, for an unexpected failure", async () => {
    const { imageName } = await svc.upload(await jpeg(300, 200));
    svc.sfn.faults.add({ state: "Validate", error: { name: "TypeError", message: "secret detail" } });
    const r = await run(imageName);
    failed(r, "InternalError");
    assert.doesNotMatch(r.result.cause ?? "", /secret/);
  });
});
