/**
 * `npm run bench` works end to end: the quick mode on one small input runs every phase (latency,
 * storage, throughput, reuse, memory and cold-start children, bundles, and the functions at Lambda's
 * CPU share) and writes a complete JSON.
 * Structure only: timings on a shared test machine prove nothing, so none is asserted.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FUNCTION_NAMES, TASKS } from "../../../infra/catalog";

const ROOT = path.resolve(__dirname, "..", "..", "..");

function record(v: unknown, what: string): Record<string, unknown> {
  assert.ok(typeof v === "object" && v !== null && !Array.isArray(v), `${what} is not an object`);
  return Object.fromEntries(Object.entries(v));
}

function list(v: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(v), `${what} is not an array`);
  return v;
}

function positive(v: unknown, what: string): void {
  assert.ok(typeof v === "number" && Number.isFinite(v) && v > 0, `${what} is not a positive number: ${String(v)}`);
}

const FUNCTIONS: string[] = [...FUNCTION_NAMES].sort();
const TASK_FUNCTIONS: string[] = TASKS.map((task) => task.name);

/** The lambda phase's JSON: every function cold and warm, the whole request, tuning cells, costs, prices. */
function assertLambdaPhase(lambda: Record<string, unknown>): void {
  assert.ok(["v1", "v2", "none"].includes(String(record(lambda["throttling"], "throttling")["kind"])));
  const perFunction = list(lambda["perFunction"], "perFunction").map((f) => record(f, "function"));
  assert.deepEqual(perFunction.map((f) => f["name"]).sort(), FUNCTIONS);
  for (const f of perFunction) {
    positive(f["memoryMb"], `${String(f["name"])} memory`);
    assert.equal(record(f["init"], "init")["n"], 1, "one cold run in quick mode");
    positive(record(f["init"], "init")["p50"], `${String(f["name"])} Init`);
    positive(record(f["first"], "first")["p50"], `${String(f["name"])} first Duration`);
    assert.equal(typeof record(f["warm"], "warm")["p50"], "number");
    positive(record(f["spawnToReady"], "spawnToReady")["p50"], `${String(f["name"])} spawn to ready`);
    positive(f["maxMemoryUsedMb"], `${String(f["name"])} peak memory`);
    assert.deepEqual(f["errors"], [], `${String(f["name"])} failed`);
    if (TASK_FUNCTIONS.includes(String(f["name"])))
      positive(f["initShareOfTimeout"], `${String(f["name"])} Init / TimeoutSeconds`);
  }

  const tuning = list(lambda["tuning"], "tuning").map((c) => record(c, "tuning cell"));
  assert.deepEqual([...new Set(tuning.map((c) => c["name"]))].sort(), FUNCTIONS);
  for (const c of tuning) {
    positive(c["memoryMb"], "tuning memory");
    positive(c["usdPerMillionWarm"], "$/M warm");
    positive(c["usdPerMillionCold"], "$/M cold");
    assert.equal(typeof c["isDefault"], "boolean");
  }

  const p = record(lambda["path"], "path");
  positive(record(record(p["fullyCold"], "fullyCold")["ms"], "fully cold ms")["p50"], "fully cold p50");
  const warm = record(p["warm"], "warm");
  for (const v of ["isolatedMiss", "inProcessMiss", "isolatedHit", "oneLambda"])
    positive(record(warm[v], v)["p50"], `warm ${v}`);
  positive(record(record(p["oneLambda"], "oneLambda")["init"], "one-Lambda Init")["p50"], "one-Lambda Init");
  positive(p["warmRatio"], "warm ratio");
  const s3 = record(p["s3"], "s3");
  assert.deepEqual(Object.keys(record(s3["counted"], "counted")).sort(), ["hit", "miss", "oneLambda"]);
  assert.equal(typeof s3["matches"], "boolean");

  const cost = list(lambda["cost"], "cost").map((c) => record(c, "cost"));
  assert.deepEqual(
    cost.map((c) => c["scenario"]),
    ["miss", "hit", "missCold", "oneLambda", "oneLambdaCold"],
  );
  for (const c of cost) {
    const million = record(c["perMillion"], "perMillion");
    positive(million["total"], `${String(c["scenario"])} total`);
    positive(million["lambdaCompute"], `${String(c["scenario"])} Lambda GB-s`);
    positive(million["httpApi"], `${String(c["scenario"])} HTTP API`);
  }
  positive(record(cost[0]?.["perMillion"], "miss")["expressDuration"], "the miss's workflow duration");
  assert.equal(record(cost[3]?.["perMillion"], "one Lambda")["expressRequests"], 0);

  const prices = record(record(lambda["prices"], "prices")["items"], "price items");
  for (const [name, price] of Object.entries(prices)) positive(record(price, name)["usd"], name);

  const verdicts = list(lambda["verdicts"], "lambda verdicts").map((v) => record(v, "verdict"));
  assert.equal(verdicts.filter((v) => String(v["name"]).startsWith("Init p50")).length, TASK_FUNCTIONS.length);
  for (const v of verdicts) assert.equal(typeof v["pass"], "boolean");
}

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "run.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("bench: npm run bench, quick mode", function () {
  // The lambda phase starts every function cold at its CPU share a few times over.
  this.timeout(180_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bench-smoke-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs every phase on a small input, prints the targets and writes the JSON", async () => {
    const resultsDir = path.join(dir, "results");
    const out = await run({
      BENCH_QUICK: "1",
      BENCH_INPUTS: "jpeg-small",
      BENCH_RESULTS_DIR: resultsDir,
      BENCH_CACHE_DIR: path.join(dir, "cache"),
    });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Targets and checks/);
    assert.match(out.stdout, /(PASS|MISS) {2}target {2}\(c\)\/\(b\) p50, jpeg-small/);
    assert.match(out.stdout, /At Lambda's CPU share/);
    assert.match(out.stdout, /Cost per million thumbnails/);

    const files = (await readdir(resultsDir)).filter((f) => f.startsWith("bench-") && f.endsWith(".json"));
    assert.equal(files.length, 1);
    const result = record(JSON.parse(await readFile(path.join(resultsDir, files[0] ?? ""), "utf8")), "result");
    assert.equal(result["quick"], true);

    const [latency] = list(result["latency"], "latency");
    const variants = record(record(latency, "latency[0]")["variants"], "variants");
    for (const v of ["sharp", "sharpFull", "oneLambda", "serviceMiss", "serviceHit"]) {
      const summary = record(variants[v], v);
      assert.equal(summary["n"], 3, `${v} samples`);
      positive(summary["p50"], `${v} p50`);
    }

    const storage = record(result["storage"], "storage");
    for (const side of ["gated", "raw"]) {
      for (const op of ["headFound", "headMissing", "getSource", "putThumbnail", "copyThumbnail"])
        positive(record(record(storage[side], side)[op], op)["p50"], `${side} ${op}`);
    }

    const throughput = record(result["throughput"], "throughput");
    for (const kind of ["sharp", "service"]) {
      const points = list(throughput[kind], kind).map((p) => record(p, kind));
      assert.deepEqual(
        points.map((p) => p["inFlight"]),
        [1, 2],
      );
      for (const p of points) positive(p["opsPerSecond"], `${kind} ops/s`);
    }

    const reuse = record(result["reuse"], "reuse");
    positive(reuse["requests"], "reuse requests");
    assert.equal(typeof reuse["total"], "number");

    const memory = record(result["memory"], "memory");
    positive(record(memory["sharp"], "sharp")["peakRssMB"], "sharp peak");
    positive(record(memory["service"], "service")["peakRssMB"], "service peak");
    assert.ok(list(record(memory["steadiness"], "steadiness")["readings"], "readings").length >= 2);

    const cold = record(result["cold"], "cold");
    positive(record(cold["firstMs"], "firstMs")["p50"], "first request");
    assert.equal(list(cold["runs"], "runs").length, 1);

    const bundles = list(result["bundles"], "bundles").map((b) => record(b, "bundle"));
    assert.deepEqual(bundles.map((b) => b["name"]).sort(), FUNCTIONS);
    for (const b of bundles) positive(b["bytes"], `${String(b["name"])} bytes`);

    assertLambdaPhase(record(result["lambda"], "lambda"));

    const verdicts = list(record(result["judged"], "judged")["verdicts"], "verdicts").map((v) => record(v, "verdict"));
    assert.ok(verdicts.length >= 5);
    for (const v of verdicts) assert.equal(typeof v["pass"], "boolean");
  });
});
