/**
 * `npm run bench:auth` works end to end in its quick mode: both services answer, the verifier
 * accepts the token, and the JSON holds every figure. Structure only: no timing is asserted.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("bench: npm run bench:auth, quick mode", function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bench-auth-smoke-"));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("measures /uploadURL with and without JWT verification and writes the figures", async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "auth-cost.ts")], {
          cwd: ROOT,
          env: {
            ...process.env,
            BENCH_QUICK: "1",
            BENCH_AUTH_SAMPLES: "10",
            BENCH_AUTH_WARMUP: "2",
            BENCH_RESULTS_DIR: dir,
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
        child.on("error", reject);
        child.on("close", (exit) => resolve({ code: exit, stdout: out, stderr: err }));
      },
    );
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /added per request: p50 -?\d+\.\d+ ms, p95 -?\d+\.\d+ ms/);
    const result: unknown = JSON.parse(await readFile(path.join(dir, "auth-cost-latest.json"), "utf8"));
    assert.ok(
      typeof result === "object" &&
        result !== null &&
        "uploadUrl" in result &&
        "addedMs" in result &&
        "verifierAlone" in result,
    );
    const { uploadUrl, verifierAlone } = result;
    assert.ok(typeof uploadUrl === "object" && uploadUrl !== null && "open" in uploadUrl && "jwt" in uploadUrl);
    for (const summary of [uploadUrl.open, uploadUrl.jwt, verifierAlone]) {
      assert.ok(
        typeof summary === "object" && summary !== null && "n" in summary && "p50" in summary && "p95" in summary,
      );
      assert.equal(summary.n, 10);
      assert.ok(typeof summary.p50 === "number" && summary.p50 > 0);
    }
  });
});
