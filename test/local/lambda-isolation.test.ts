/**
 * LAMBDA_ISOLATION=1: every function runs as Lambda runs it, in execution environments of its own
 * that load the shipped bundle at the function's CPU share. Cold on first use and on scale-out,
 * warm when reused, reaped when idle; REPORT figures per invocation; billingDetails per execution;
 * the contract's errors cross the process boundary unchanged.
 */
import { strict as assert } from "node:assert";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import { FUNCTION_NAMES, TASKS, TASK_FUNCTIONS, functionMemoryMb } from "../../infra/catalog";
import { STACK_DEFAULTS } from "../../infra/stack-config";
import { createSfnClient } from "../../lambdas/shared/sfn-client";
import { cfsQuotaUs, reportLine, type InvocationReport, type LocalLambda } from "../../local/lambda";
import { LOCAL_CREDENTIALS, LOCAL_STATE_MACHINE_ARN } from "../../local/service";
import { jpeg, truncatedJpeg } from "../fixtures/images";
import { getJson } from "../helpers/http";
import { startTestService, type TestService } from "../helpers/service";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

describe("local Lambda isolation (LAMBDA_ISOLATION=1)", function () {
  // Cold starts run at Lambda's CPU share (0.145 vCPU at 256 MB): seconds, not milliseconds.
  this.timeout(120_000);
  let service: TestService;
  const reports: InvocationReport[] = [];

  before(async () => {
    service = await startTestService({ isolation: { onReport: (r) => reports.push(r) } });
  });
  after(async () => service?.stop());

  const thumbnail = (imageName: string, res = "128x128") =>
    getJson(`${service.appUrl}/thumbnail?imageName=${imageName}&res=${res}`);

  it("the first thumbnail starts every function cold, answers 200, and each Init shows in its REPORT", async () => {
    const { imageName } = await service.upload(await jpeg(800, 600));
    reports.length = 0;
    const first = await thumbnail(imageName);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.ok(isRecord(first.body) && first.body["width"] === 128 && first.body["height"] === 96);
    const cold = new Set(reports.filter((r) => r.initDurationMs !== undefined).map((r) => r.functionName));
    // Every Task of a miss, and the API function that started the workflow.
    assert.deepEqual([...cold].sort(), [...TASKS.map((t) => t.name), "thumbnail"].sort());
    for (const r of reports) {
      assert.equal(r.memorySizeMb, functionMemoryMb(r.functionName as (typeof FUNCTION_NAMES)[number], STACK_DEFAULTS));
      assert.ok(r.maxMemoryUsedMb > 0 && r.maxMemoryUsedMb <= r.memorySizeMb, reportLine(r));
      assert.match(
        reportLine(r),
        /^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB/,
      );
    }
    const fetchReport = reports.find((r) => r.functionName === "fetch");
    assert.ok(fetchReport?.initDurationMs !== undefined);
    assert.match(reportLine(fetchReport), /\tInit Duration: [\d.]+ ms$/);
  });

  it("the next thumbnail reuses the warm environments: no Init, no new environment", async () => {
    const { imageName } = await service.upload(await jpeg(640, 640));
    const before = service.lambda?.stats() ?? [];
    reports.length = 0;
    const second = await thumbnail(imageName);
    assert.equal(second.status, 200);
    assert.equal(reports.filter((r) => r.initDurationMs !== undefined).length, 0, "no cold start");
    assert.deepEqual(
      (service.lambda?.stats() ?? []).map((s) => [s.functionName, s.coldStarts]),
      before.map((s) => [s.functionName, s.coldStarts]),
    );
  });

  it("each environment is a process of its own, held to its memory's CPU share by its cgroup", function () {
    const lambda: LocalLambda | undefined = service.lambda;
    if (lambda === undefined) throw new Error("isolation is off");
    const pids = lambda.stats().flatMap((s) => s.pids);
    assert.ok(pids.length >= 6);
    assert.equal(new Set(pids).size, pids.length, "no two functions share a process");
    assert.ok(!pids.includes(process.pid));
    if (lambda.throttling.kind === "none") {
      console.warn(
        `\n  !!! SKIPPED the CPU-share check: this machine runs isolated functions UNTHROTTLED (${lambda.throttling.reason ?? ""})\n`,
      );
      this.skip();
    }
    for (const fn of ["validate", "resize"] as const) {
      const pid: number | undefined = lambda.pool(fn).stats().pids[0];
      assert.ok(pid !== undefined);
      const cgroups: string = readFileSync(`/proc/${pid}/cgroup`, "utf8");
      const cpuLine: string | undefined = cgroups
        .split("\n")
        .find((l: string) => /:cpu[,:]|^0::/.test(l) && l.includes("thumbnail-local-"));
      assert.ok(cpuLine, `environment of ${fn} is in our cgroup: ${cgroups}`);
      const rel: string = cpuLine.slice(cpuLine.lastIndexOf(":") + 1);
      const memoryMb = functionMemoryMb(fn, STACK_DEFAULTS);
      const quota: string | undefined =
        lambda.throttling.kind === "v1"
          ? readFileSync(path.join("/sys/fs/cgroup/cpu", rel, "cpu.cfs_quota_us"), "utf8").trim()
          : readFileSync(path.join("/sys/fs/cgroup", rel, "cpu.max"), "utf8").split(" ")[0];
      assert.equal(Number(quota), cfsQuotaUs(memoryMb));
    }
  });

  it("concurrent invocations beyond the warm environments start new ones (scale-out), then all are reused", async () => {
    const pool = service.lambda?.pool("validate");
    assert.ok(pool);
    const before = pool.stats();
    const event = (i: number) => ({
      requestId: `scale-${i}`,
      imageName: `${crypto.randomUUID()}.jpg`,
      res: "64x64",
      format: "jpeg",
    });
    const outcomes = await Promise.all([0, 1, 2].map((i) => pool.invoke(event(i))));
    assert.ok(outcomes.every((o) => o.ok));
    const after = pool.stats();
    // One warm environment was there; three events at once need two more.
    assert.equal(after.coldStarts - before.coldStarts, 3 - before.environments);
    assert.equal(after.environments, 3);
    const again = await Promise.all([0, 1, 2].map((i) => pool.invoke(event(i + 3))));
    assert.ok(again.every((o) => o.ok && o.initDurationMs === undefined));
    assert.equal(pool.stats().coldStarts, after.coldStarts);
  });

  it("the contract's errors cross the process boundary: missing upload 404, SVG 415, bad res 400", async () => {
    const missing = await thumbnail(`${crypto.randomUUID()}.jpg`);
    assert.equal(missing.status, 404);
    assert.ok(
      isRecord(missing.body) && isRecord(missing.body["error"]) && missing.body["error"]["code"] === "ImageNotFound",
    );
    const { imageName } = await service.upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), "png");
    const svg = await thumbnail(imageName);
    assert.equal(svg.status, 415);
    const bad = await thumbnail(imageName, "9999x9999");
    assert.equal(bad.status, 400);
  });

  it("a truncated JPEG is 422 CorruptImage, decoded by sharp in resize's own environment", async () => {
    const { imageName } = await service.upload(await truncatedJpeg());
    const r = await thumbnail(imageName);
    assert.equal(r.status, 422);
    assert.ok(isRecord(r.body) && isRecord(r.body["error"]) && r.body["error"]["code"] === "CorruptImage");
  });

  it("storage failing during Fetch (in fetch's environment) is 503, never 404; the next request is 200", async () => {
    const { imageName } = await service.upload(await jpeg(300, 200));
    const fault = service.s3.faults.add({
      method: "HEAD",
      bucket: service.config.sourceBucket,
      status: 503,
      code: "SlowDown",
    });
    const down = await thumbnail(imageName);
    fault.remove();
    assert.equal(down.status, 503);
    assert.ok(down.headers.get("retry-after"));
    assert.equal((await thumbnail(imageName)).status, 200);
  });

  it("a Task's unhandled error is a Lambda function error with the error's name, as Step Functions sees it", async () => {
    const outcome = await service.lambda?.pool("fetch").invoke({ not: "a fetch input" });
    assert.ok(outcome && !outcome.ok);
    assert.equal(outcome.error?.errorType, "InternalError");
  });

  it("StartSyncExecution answers billingDetails as AWS does (100 ms increments, 64 MB chunks)", async () => {
    const sfn = createSfnClient(service.config, LOCAL_CREDENTIALS);
    try {
      const out = await sfn.send(
        new StartSyncExecutionCommand({
          stateMachineArn: LOCAL_STATE_MACHINE_ARN,
          name: `billing-${Date.now()}`,
          input: JSON.stringify({
            requestId: "billing",
            imageName: `${crypto.randomUUID()}.jpg`,
            res: "64x64",
            format: "jpeg",
          }),
        }),
      );
      assert.equal(out.status, "FAILED");
      const billed = out.billingDetails?.billedDurationInMilliseconds ?? 0;
      assert.ok(billed >= 100 && billed % 100 === 0, `billed ${billed}`);
      assert.equal(out.billingDetails?.billedMemoryUsedInMB, 64);
    } finally {
      sfn.destroy();
    }
  });

  it("an idle environment is reaped, and the next invocation is cold again", async () => {
    const pool = service.lambda?.pool("return-url");
    assert.ok(pool);
    await pool.reapAll();
    assert.equal(pool.stats().environments, 0);
    const ready = {
      requestId: "reap",
      imageName: "x.jpg",
      res: "64x64",
      format: "jpeg",
    };
    const outcome = await pool.invoke(ready);
    assert.ok(outcome.initDurationMs !== undefined, "cold after reaping");
  });

  it("every Task state is served by its own function", () => {
    const served = new Set((service.lambda?.stats() ?? []).map((s) => s.functionName));
    for (const fn of Object.values(TASK_FUNCTIONS)) assert.ok(served.has(fn), fn);
    for (const fn of FUNCTION_NAMES) assert.ok(served.has(fn), fn);
  });
});

describe("local Lambda isolation: idle environments are reaped after idleMs", function () {
  this.timeout(120_000);
  let service: TestService;
  before(async () => {
    service = await startTestService({ isolation: { idleMs: 300 } });
  });
  after(async () => service?.stop());

  it("an environment left idle goes away by itself; the next event starts a new one", async () => {
    const pool = service.lambda?.pool("validate");
    assert.ok(pool);
    const event = { requestId: "idle", imageName: `${crypto.randomUUID()}.jpg`, res: "64x64", format: "jpeg" };
    assert.ok((await pool.invoke(event)).ok);
    assert.equal(pool.stats().environments, 1);
    const [left] = await once(pool, "reaped");
    assert.equal(left, 0);
    const again = await pool.invoke(event);
    assert.ok(again.ok && again.initDurationMs !== undefined);
    assert.equal(pool.stats().coldStarts, 2);
  });
});
