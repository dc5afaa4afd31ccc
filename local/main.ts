/**
 * `npm start`: the whole service on 127.0.0.1. Ports and the data directory come from PORT, S3_PORT,
 * SFN_PORT and DATA_DIR; sign-in from JWT_ISSUER and JWT_AUDIENCE (local/auth/); any configuration
 * variable (lambdas/shared/config.ts) may be set too.
 */
import { resolve } from "node:path";
import { authFromEnv, DEV_SIGN_IN_PATH, type LocalAuthSettings } from "./auth/settings";
import { startLocalService, type IsolationOptions } from "./service";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name} must be a port number, got '${raw}'`);
  return value;
}

/** LAMBDA_ISOLATION=1: each function in its own environments at Lambda's CPU share (local/lambda/). */
function isolation(): IsolationOptions | undefined {
  const flag = process.env["LAMBDA_ISOLATION"];
  if (flag === undefined || flag === "" || flag === "0") return undefined;
  const idle = process.env["LAMBDA_IDLE_SECONDS"];
  return idle !== undefined && idle !== "" ? { idleMs: Number(idle) * 1000 } : {};
}

function authLine(auth: LocalAuthSettings | undefined, appUrl: string): string {
  if (!auth) return "open: no sign-in (set JWT_ISSUER and JWT_AUDIENCE, or JWT_ISSUER=local)";
  if (auth.issuer === "local")
    return `dev issuer ${appUrl}/_local/issuer (sign in on the page, or POST ${DEV_SIGN_IN_PATH})`;
  return `JWT from ${auth.issuer}, audience ${auth.audiences.join(", ")}`;
}

async function main(): Promise<void> {
  const isolated = isolation();
  const auth = authFromEnv(process.env);
  const service = await startLocalService({
    ...(isolated ? { isolation: isolated } : {}),
    port: port("PORT", 3000),
    s3Port: port("S3_PORT", 4569),
    sfnPort: port("SFN_PORT", 4570),
    dataDir: resolve(process.env["DATA_DIR"] ?? ".data"),
    overrides: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    ...(auth ? { auth } : {}),
  });
  console.log(`Thumbnail service running locally
  app + API          ${service.appUrl}
  local S3           ${service.s3Endpoint}
  local Step Fns     ${service.sfnEndpoint}
  execution logs     ${service.appUrl}/_local/executions/<x-request-id>
  functions          ${service.lambda ? `isolated, as on Lambda (CPU share: ${service.lambda.throttling.kind === "none" ? "UNTHROTTLED" : `cgroup ${service.lambda.throttling.kind}`})` : "in this process (LAMBDA_ISOLATION=1 runs them as Lambda does)"}
  sign-in            ${authLine(auth, service.appUrl)}
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
