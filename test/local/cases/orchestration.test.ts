/**
 * docs/cases.md, Orchestration faults, injected into the running service without touching production
 * code paths: Task faults through the local Step Functions (`sfn.faults`), storage faults through
 * the local S3 gate (`s3.faults`). Each case checks the contract's answer at the API, that nothing was
 * half-published (by listing the bucket), and that a good request succeeds right after.
 * The static half (retry only transient errors, budget) is test/unit/workflow/budget.test.ts.
 */
import { strict as assert } from "node:assert";
import { DeleteObjectCommand, PutObjectCommand, type PutObjectCommandOutput } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { RETRY_AFTER_SECONDS } from "../../../lambdas/shared/api";
import { PAYLOAD_LIMIT_BYTES } from "../../../local/stepfunctions";
import { jpeg } from "../../fixtures/images";
import { startTestService, type TestService } from "../../helpers/service";
import { holdTask } from "../../helpers/task-faults";
import {
  askThumbnail,
  download,
  executionOf,
  expectError,
  expectThumbnail,
  idOf,
  retriesOf,
  thumbnailQuery,
  withService,
  type Answer,
  type Bucket,
} from "./support";

const RETRIED_TASKS = ["Validate", "Fetch", "Resize", "StorePublic"] as const;

function expectUnavailable(r: Answer): void {
  expectError(r, 503, "ServiceUnavailable");
  assert.equal(r.headers.get("retry-after"), String(RETRY_AFTER_SECONDS), "503 tells the client when to retry");
}

/**
 * A new version of an upload, put from a fault's `before` hook: between two states of an execution.
 * `done()` is the PutObject's answer (the new ETag), for after the execution.
 */
function replacement(svc: () => TestService, buckets: () => Bucket, imageName: string, body: Buffer) {
  let answer: PutObjectCommandOutput | undefined;
  return {
    put: async () => {
      answer = await buckets().s3.send(
        new PutObjectCommand({ Bucket: svc().config.sourceBucket, Key: `uploads/${imageName}`, Body: body }),
      );
    },
    done(): PutObjectCommandOutput {
      assert.ok(answer, "the upload was replaced between the states");
      return answer;
    },
  };
}

/** The cases share the setup: a service, an SDK client, a fresh small upload per test. */
function faultSuite(svc: () => TestService, buckets: () => Bucket) {
  return {
    async upload(seed = 1, width = 320, height = 240): Promise<string> {
      return (await svc().upload(await jpeg(width, height, seed))).imageName;
    },
    published: (imageName: string) => buckets().list(svc().config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`),
    async succeedsNow(imageName: string, res = "128x128") {
      const result = expectThumbnail(await askThumbnail(svc(), thumbnailQuery(imageName, res)));
      assert.deepEqual(await this.published(imageName), [result.url.slice(svc().config.publicBaseUrl.length + 1)]);
      return result;
    },
  };
}

describe("CASES Orchestration faults (local service, injected)", function () {
  this.timeout(30_000);
  let svc: TestService;
  let buckets: Bucket;
  const t = faultSuite(
    () => svc,
    () => buckets,
  );

  withService((running, client) => {
    svc = running;
    buckets = client;
  });
  afterEach(() => {
    svc.sfn.faults.clear();
    svc.s3.faults.clear();
  });

  describe("a transient error in a Task", () => {
    for (const [state, name] of [
      ["Validate", "Lambda.TooManyRequestsException"],
      ["Fetch", "Lambda.ServiceException"],
      ["Resize", "Lambda.SdkClientException"],
      ["StorePublic", "ServiceUnavailable"],
    ] as const) {
      it(`${state}, once (${name}) -> retried -> 200`, async () => {
        const imageName = await t.upload();
        svc.sfn.faults.add({ state, error: { name, message: "injected" }, times: 1 });
        const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
        expectThumbnail(r);
        assert.deepEqual(retriesOf(executionOf(svc, r), state), [1]);
      });
    }

    for (const state of RETRIED_TASKS) {
      it(`${state}, always -> 503 with Retry-After after one retry; nothing published; 200 once it recovers`, async () => {
        const imageName = await t.upload();
        const fault = svc.sfn.faults.add({ state, error: { name: "Lambda.ServiceException", message: "injected" } });
        const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
        expectUnavailable(r);
        assert.deepEqual(retriesOf(executionOf(svc, r), state), [1], "the retry budget was spent, no more");
        assert.deepEqual(await t.published(imageName), []);
        fault.remove();
        await t.succeedsNow(imageName);
      });
    }

    it("a storage fault the S3 client's own retry cannot absorb -> the Task is retried -> 200", async () => {
      const imageName = await t.upload();
      // The S3 client makes 2 attempts: both fail, the Lambda reports ServiceUnavailable, the workflow retries.
      const fault = svc.s3.faults.add({
        method: "HEAD",
        bucket: svc.config.sourceBucket,
        status: 503,
        code: "SlowDown",
        times: 2,
      });
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      expectThumbnail(r);
      assert.equal(fault.hits, 2);
      assert.deepEqual(retriesOf(executionOf(svc, r), "Fetch"), [1]);
    });

    // ReturnUrl has no Retry in statemachine/thumbnail.asl.json, so this answers 503 today. Adding one
    // needs room in the 28 s budget (e.g. Resize TimeoutSeconds 5 -> 4); see docs/cases.md.
    it("ReturnUrl, once (Lambda.ServiceException) -> retried -> 200", async () => {
      const imageName = await t.upload();
      svc.sfn.faults.add({
        state: "ReturnUrl",
        error: { name: "Lambda.ServiceException", message: "injected" },
        times: 1,
      });
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      expectThumbnail(r);
      assert.deepEqual(retriesOf(executionOf(svc, r), "ReturnUrl"), [1]);
    });
  });

  describe("storage unavailable", () => {
    it("during Fetch (reading the upload) -> 503, never 404; nothing published; 200 after recovery", async () => {
      const imageName = await t.upload();
      for (const [status, code] of [
        [503, "ServiceUnavailable"],
        [500, "InternalError"],
      ] as const) {
        const fault = svc.s3.faults.add({ method: "HEAD", bucket: svc.config.sourceBucket, status, code });
        const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
        expectUnavailable(r);
        assert.equal(
          executionOf(svc, r)?.states.at(-1)?.state,
          "ServiceUnavailable",
          "Fetch ended in ServiceUnavailable",
        );
        fault.remove();
      }
      assert.deepEqual(await t.published(imageName), []);
      await t.succeedsNow(imageName);
    });

    it("during Fetch (looking for a stored thumbnail) -> 503, never a 404 or a remade thumbnail", async () => {
      const imageName = await t.upload();
      const fault = svc.s3.faults.add({
        method: "HEAD",
        bucket: svc.config.thumbnailBucket,
        keyPrefix: "thumbnails/",
        status: 503,
      });
      expectUnavailable(await askThumbnail(svc, thumbnailQuery(imageName, "128x128")));
      fault.remove();
      await t.succeedsNow(imageName);
    });

    it("during StorePublic (the copy to thumbnails/) -> 503; nothing under thumbnails/, the staged copy private; 200 after recovery", async () => {
      const imageName = await t.upload();
      const fault = svc.s3.faults.add({
        method: "PUT",
        bucket: svc.config.thumbnailBucket,
        keyPrefix: "thumbnails/",
        status: 503,
      });
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      expectUnavailable(r);
      assert.ok(fault.hits >= 2, "StorePublic tried, and was retried");
      assert.deepEqual(retriesOf(executionOf(svc, r), "StorePublic"), [1]);
      assert.deepEqual(await t.published(imageName), [], "no public object, whole or half");
      const staged = await buckets.list(svc.config.thumbnailBucket, `staging/${r.requestId}/`);
      assert.equal(staged.length, 1, "Resize's work is staged");
      assert.equal((await fetch(`${svc.config.publicBaseUrl}/${staged[0]}`)).status, 403, "and staging/ is not public");
      fault.remove();
      const result = await t.succeedsNow(imageName);
      assert.equal(result.cached, false);
    });

    it("during Resize (reading the pinned source, writing to staging/) -> 503, never 404", async () => {
      const imageName = await t.upload();
      for (const spec of [
        { method: "GET", bucket: svc.config.sourceBucket, status: 503 },
        { method: "PUT", bucket: svc.config.thumbnailBucket, keyPrefix: "staging/", status: 500 },
      ]) {
        const fault = svc.s3.faults.add(spec);
        expectUnavailable(await askThumbnail(svc, thumbnailQuery(imageName, "128x128")));
        fault.remove();
      }
      assert.deepEqual(await t.published(imageName), []);
      await t.succeedsNow(imageName);
    });
  });

  describe("the source changing between states", () => {
    it("deleted between Fetch and Resize -> 404 ImageNotFound; nothing published", async () => {
      const imageName = await t.upload();
      // Deleted once Fetch has answered and before Resize is invoked: ordered by the hook, not by timing.
      const deleteUpload = () =>
        buckets.s3.send(new DeleteObjectCommand({ Bucket: svc.config.sourceBucket, Key: `uploads/${imageName}` }));
      svc.sfn.faults.add({ state: "Resize", times: 1, before: deleteUpload });
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      expectError(r, 404, "ImageNotFound");
      const states = executionOf(svc, r)?.states ?? [];
      assert.equal(states.find((s) => s.state === "Fetch")?.error, undefined, "Fetch saw the upload");
      assert.equal(states.find((s) => s.state === "Resize")?.error, "ImageNotFound");
      assert.deepEqual(await t.published(imageName), []);
      expectError(await askThumbnail(svc, thumbnailQuery(imageName, "128x128")), 404, "ImageNotFound");
    });

    it("replaced between Fetch and Resize -> 409 SourceChanged, nothing published; the next request gets the new version", async () => {
      const imageName = await t.upload(1, 400, 200);
      const replace = replacement(
        () => svc,
        () => buckets,
        imageName,
        await jpeg(100, 200, 2),
      );
      svc.sfn.faults.add({ state: "Resize", times: 1, before: replace.put });
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      const put = replace.done();
      expectError(r, 409, "SourceChanged");
      assert.deepEqual(await t.published(imageName), [], "no thumbnail of either version");
      const next = await t.succeedsNow(imageName);
      assert.ok(next.url.includes(`/${(put.ETag ?? "").replace(/"/g, "")}/`), "keyed by the new version's ETag");
      assert.deepEqual([next.width, next.height], [64, 128], "made from the new version (portrait)");
    });

    it("replaced between Resize and StorePublic -> the old version's thumbnail under the old ETag, never a mix", async () => {
      const imageName = await t.upload(3, 400, 200);
      const replace = replacement(
        () => svc,
        () => buckets,
        imageName,
        await jpeg(100, 200, 4),
      );
      svc.sfn.faults.add({ state: "StorePublic", times: 1, before: replace.put });
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      const put = replace.done();
      const old = expectThumbnail(r);
      assert.deepEqual([old.width, old.height], [128, 64]);
      const oldMeta = await sharp(await download(old.url)).metadata();
      assert.deepEqual([oldMeta.width, oldMeta.height], [128, 64], "the published bytes are the old version's");
      const next = expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "128x128")));
      assert.ok(next.url.includes(`/${(put.ETag ?? "").replace(/"/g, "")}/`) && next.url !== old.url);
      assert.deepEqual([next.width, next.height], [64, 128]);
    });
  });

  describe("a FAILED execution is never answered with 200", () => {
    for (const state of [...RETRIED_TASKS, "ReturnUrl"]) {
      it(`an unexpected error in ${state} -> 500 InternalError revealing nothing`, async () => {
        const imageName = await t.upload();
        svc.sfn.faults.add({ state, error: { name: "TypeError", message: "secret internal detail" }, times: 1 });
        const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
        const body = expectError(r, 500, "InternalError");
        assert.doesNotMatch(body.error.message, /secret|TypeError/);
        assert.equal(executionOf(svc, r)?.status, "FAILED");
      });
    }

    it("ReturnUrl timing out twice after StorePublic published -> 504, not 200; the next request answers from the stored thumbnail", async () => {
      const imageName = await t.upload();
      // Both attempts held past its TimeoutSeconds of 1 (a timed-out attempt is retried once).
      const held = holdTask(svc.sfn.faults, "ReturnUrl", 2);
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      await held.release();
      expectError(r, 504, "WorkflowTimeout");
      assert.equal(executionOf(svc, r)?.status, "FAILED");
      assert.deepEqual(retriesOf(executionOf(svc, r), "ReturnUrl"), [1]);
      assert.equal((await t.published(imageName)).length, 1, "the thumbnail itself was published whole");
      assert.equal((await t.succeedsNow(imageName)).cached, true);
    });
  });

  for (const state of ["Validate", "ReturnUrl"]) {
    it(`${state} timing out once (a slow cold start) -> retried -> 200`, async () => {
      const imageName = await t.upload();
      const held = holdTask(svc.sfn.faults, state); // the first attempt, past its TimeoutSeconds of 1
      const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
      await held.release();
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(retriesOf(executionOf(svc, r), state), [1]);
    });
  }

  it(`a state output over 256 KiB -> States.DataLimitExceeded -> 500 InternalError; then 200`, async () => {
    const imageName = await t.upload();
    // A Catch puts the Lambda's error into the state's output (ResultPath $.error): a 300 KiB message
    // makes Fetch's output too big for the next state, as image bytes in the payload would.
    svc.sfn.faults.add({ state: "Fetch", error: { name: "ImageNotFound", message: "x".repeat(300 * 1024) }, times: 1 });
    const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
    const body = expectError(r, 500, "InternalError");
    assert.ok(body.error.message.length < 200, "the 300 KiB never reaches the client");
    const log = executionOf(svc, r);
    assert.deepEqual([log?.status, log?.error], ["FAILED", "States.DataLimitExceeded"]);
    assert.ok(300 * 1024 > PAYLOAD_LIMIT_BYTES);
    await t.succeedsNow(imageName);
  });
});

describe("CASES Orchestration faults: retries with real waits", function () {
  this.timeout(30_000);
  let svc: TestService;

  before(async () => {
    svc = await startTestService({ retryIntervalOverrides: {} }); // the definition's own waits
  });
  after(async () => svc?.stop());

  it("a transient error always, in the last retried Task -> 503 with Retry-After within the time budget", async () => {
    const { imageName } = await svc.upload(await jpeg(320, 240));
    svc.sfn.faults.add({ state: "StorePublic", error: { name: "ServiceUnavailable", message: "injected" } });
    const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
    expectUnavailable(r);
    assert.deepEqual(retriesOf(executionOf(svc, r), "StorePublic"), [1]);
    // Within the budget: an execution past its TimeoutSeconds would be TIMED_OUT and answered 504.
    // How long the waits take is the budget's static check (test/unit/workflow/budget.test.ts), not a clock's.
    assert.equal(executionOf(svc, r)?.status, "FAILED");
    assert.equal(executionOf(svc, r)?.error, "ServiceUnavailable");
  });
});

describe("CASES Orchestration faults: the execution timeout (state machine TimeoutSeconds 2 s)", function () {
  this.timeout(30_000);
  let svc: TestService;
  let buckets: Bucket;
  const t = faultSuite(
    () => svc,
    () => buckets,
  );

  // The deployed 28 s outlasts every Task's retries (that is the budget), so only a shorter one can run out.
  withService(
    (running, client) => {
      svc = running;
      buckets = client;
    },
    { stateMachineTimeoutSeconds: 2 },
  );
  afterEach(() => svc.sfn.faults.clear());

  it("an execution over its TimeoutSeconds -> TIMED_OUT -> 504 WorkflowTimeout; nothing published; then 200", async () => {
    const imageName = await t.upload();
    // Resize is held until the answer is in (within its own 5 s): the answer came at the execution's
    // timeout, not after the slow Task, or this test could never get it.
    const held = holdTask(svc.sfn.faults, "Resize");
    const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
    expectError(r, 504, "WorkflowTimeout");
    assert.equal(executionOf(svc, r)?.status, "TIMED_OUT");
    await held.release(); // the late Resize is over: it must not have run for a finished execution
    assert.deepEqual(await t.published(imageName), []);
    assert.deepEqual(await buckets.list(svc.config.thumbnailBucket, `staging/${r.requestId}/`), []);
    await t.succeedsNow(imageName);
  });

  it("TIMED_OUT after the thumbnail was published -> still 504, never 200", async () => {
    const imageName = await t.upload(5);
    // ReturnUrl held on both attempts: the execution's 2 s run out while it waits, after StorePublic.
    const held = holdTask(svc.sfn.faults, "ReturnUrl", 2);
    const r = await askThumbnail(svc, thumbnailQuery(imageName, "128x128"));
    await held.release();
    expectError(r, 504, "WorkflowTimeout");
    const log = executionOf(svc, r);
    assert.equal(log?.status, "TIMED_OUT");
    assert.equal(log?.states.at(-1)?.state, "ReturnUrl", "it timed out in ReturnUrl, StorePublic done");
    assert.equal((await t.published(imageName)).length, 1);
  });
});
