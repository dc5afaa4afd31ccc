/**
 * What `npm run load` and `npm run soak` drive: the whole local service started in this process
 * (ephemeral ports, a temp data dir, the same wiring as `npm start`), or a running deployment at
 * LOAD_TARGET_URL. In-process, the server's memory is this process's memory: say so when reporting.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalService } from "../../local/service";

export interface Target {
  /** Base URL of the app/API, without a trailing slash. */
  appUrl: string;
  /** True when the service runs in this process (its memory can be sampled here). */
  inProcess: boolean;
  /** Resolutions and formats the target offers (GET /config). */
  resolutions: string[];
  formats: string[];
  close(): Promise<void>;
}

interface OfferedConfig {
  resolutions: string[];
  formats: string[];
}

function isOfferedConfig(v: unknown): v is OfferedConfig {
  if (typeof v !== "object" || v === null || !("resolutions" in v) || !("formats" in v)) return false;
  const { resolutions, formats } = v;
  const strings = (a: unknown): boolean => Array.isArray(a) && a.length > 0 && a.every((s) => typeof s === "string");
  return strings(resolutions) && strings(formats);
}

async function offered(appUrl: string): Promise<OfferedConfig> {
  const res = await fetch(`${appUrl}/config`);
  const body: unknown = await res.json();
  if (res.status !== 200 || !isOfferedConfig(body))
    throw new Error(`GET ${appUrl}/config answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

export async function startTarget(): Promise<Target> {
  // Handler logs are one JSON line per request: thousands of them would be the bottleneck.
  process.env["LOG_LEVEL"] ??= "silent";
  const remote = process.env["LOAD_TARGET_URL"];
  if (remote) {
    const appUrl = remote.replace(/\/+$/, "");
    return { appUrl, inProcess: false, ...(await offered(appUrl)), close: async () => undefined };
  }
  const dataDir = await mkdtemp(join(tmpdir(), "thumb-load-"));
  const service = await startLocalService({ port: 0, s3Port: 0, sfnPort: 0, dataDir });
  return {
    appUrl: service.appUrl,
    inProcess: true,
    resolutions: service.config.resolutions,
    formats: service.config.formats,
    async close() {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
