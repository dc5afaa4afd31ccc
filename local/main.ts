/**
 * `npm start`: the whole service on 127.0.0.1. Ports and the data directory come from PORT, S3_PORT,
 * SFN_PORT and DATA_DIR; any configuration variable (lambdas/shared/config.ts) may be set too.
 */
import { resolve } from "node:path";
import { startLocalService } from "./service";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got '${raw}'`);
  return value;
}

async function main(): Promise<void> {
  const service = await startLocalService({
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
