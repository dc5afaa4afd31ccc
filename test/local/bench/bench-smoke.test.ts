/**
 * `npm run bench` works end to end: the quick mode on one small input runs every phase (latency,
 * storage, throughput, reuse, memory and cold-start children, bundles) and writes a complete JSON.
 * Structure only: timings on a shared test machine prove nothing, so none is asserted.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

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
  this.timeout(90_000);
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
      for (const op of ["headFound", "headMissing", "getSource", "putThumbnail", "copyThumbnail"]) positive(record(record(storage[side], side)[op], op)["p50"], `${side} ${op}`);
    }

    const throughput = record(result["throughput"], "throughput");
    for (const kind of ["sharp", "service"]) {
      const points = list(throughput[kind], kind).map((p) => record(p, kind));
      assert.deepEqual(points.map((p) => p["inFlight"]), [1, 2]);
      for (const p of points) positive(p["opsPerSecond"], `${kind} ops/s`);
    }

    const compiles = record(result["compiles"], "compiles");
    positive(compiles["requests"], "requests");
    assert.deepEqual(compiles["duringRequests"], { ajvSchemas: 0, stateMachines: 0 });
    positive(record(compiles["atStart"], "atStart")["ajvSchemas"], "schemas compiled at start");

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
    assert.deepEqual(bundles.map((b) => b["name"]).sort(), ["config", "fetch", "presign", "resize", "return-url", "store-public", "thumbnail", "validate"]);
    for (const b of bundles) positive(b["bytes"], `${String(b["name"])} bytes`);

    const verdicts = list(record(result["judged"], "judged")["verdicts"], "verdicts").map((v) => record(v, "verdict"));
    assert.ok(verdicts.length >= 5);
    for (const v of verdicts) assert.equal(typeof v["pass"], "boolean");
  });
});
