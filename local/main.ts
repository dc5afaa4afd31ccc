/**
 * `npm start`: the whole service on 127.0.0.1. Ports and the data directory come from PORT, S3_PORT,
 * SFN_PORT and DATA_DIR; any configuration variable (lambdas/shared/config.ts) may be set too.
 */
import { resolve } from "node:path";
import { startLocalService, type IsolationOptions } from "./service";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got '${raw}'`);
  return value;
}

/** LAMBDA_ISOLATION=1: each function in its own environments at Lambda's CPU share (local/lambda/). */
function isolation(): IsolationOptions | undefined {
  const flag = process.env["LAMBDA_ISOLATION"];
  if (flag === undefined || flag === "" || flag === "0") return undefined;
  const idle = process.env["LAMBDA_IDLE_SECONDS"];
  return idle !== undefined && idle !== "" ? { idleMs: Number(idle) * 1000 } : {};
}

async function main(): Promise<void> {
  const isolated = isolation();
  const service = await startLocalService({
    ...(isolated ? { isolation: isolated } : {}),
    port: port("PORT", 3000),
    s3Port: port("S3_PORT", 4569),
    sfnPort: port("SFN_PORT", 4570),
    dataDir: resolve(process.env["DATA_DIR"] ?? ".data"),
    overrides: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  });
  console.log(`Thumbnail service running locally
  app + API          ${service.appUrl}
  local S3           ${service.s3Endpoint}
  local Step Fns     ${service.sfnEndpoint}
  execution logs     ${service.appUrl}/_local/executions/<x-request-id>
  functions          ${service.lambda ? `isolated, as on Lambda (CPU share: ${service.lambda.throttling.kind === "none" ? "UNTHROTTLED" : `cgroup ${service.lambda.throttling.kind}`})` : "in this process (LAMBDA_ISOLATION=1 runs them as Lambda does)"}
Press Ctrl+C to stop.`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
