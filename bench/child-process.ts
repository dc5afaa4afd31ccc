/**
 * Runs a bench script in a fresh Node process (through tsx, with --expose-gc) and returns the JSON
 * it reports on its last `BENCH_RESULT ` line. Memory and cold-start figures come from such
 * children, so that nothing of the parent (its own service, caches, heap) is mixed into them.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { BENCH_DIR, PROJECT_ROOT } from "./config";

const RESULT_PREFIX = "BENCH_RESULT ";

/** For the child: report the result (one line, parsed by runChild). */
export function reportResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** The argument runChild passed, parsed. */
export function childArgument(): unknown {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error("bench child started without its JSON argument");
  return JSON.parse(raw);
}

export class ChildFailed extends Error {
  override readonly name = "ChildFailed";
}

export function runChild(script: string, argument: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", path.join(BENCH_DIR, script), JSON.stringify(argument)],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout
        .split("\n")
        .reverse()
        .find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        reject(new ChildFailed(`${script} exited with ${code ?? signal}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)));
    });
  });
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Narrows `v` to an object whose `keys` are all finite numbers. */
export function hasNumbers<K extends string>(
  v: unknown,
  keys: readonly K[],
): v is Record<string, unknown> & Record<K, number> {
  return isRecord(v) && keys.every((k) => typeof v[k] === "number" && Number.isFinite(v[k]));
}
