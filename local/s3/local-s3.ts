/**
 * startLocalS3: s3rver on an internal ephemeral port, and the gate (gate.ts) on the configured
 * port in front of it. Only the gate is meant to be reached by clients.
 */
import http from "node:http";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Backend } from "./backend";
import type { CorsRule } from "./cors";
import { Faults } from "./faults";
import { createGate } from "./gate";
import { KeyLocks } from "./key-locks";
import type { LocalS3, LocalS3Options } from "./types";

// Long enough for in-flight requests to finish on close(), short enough not to stall a test suite.
const CLOSE_GRACE_MS = 2000;

/** CORS rules per bucket: POST from the configured origins, GET/HEAD of public objects from anywhere. */
function corsRules(options: LocalS3Options): Map<string, CorsRule[]> {
  const rules = new Map<string, CorsRule[]>();
  const add = (bucket: string, rule: CorsRule) => rules.set(bucket, [...(rules.get(bucket) ?? []), rule]);
  for (const c of options.cors) add(c.bucket, { allowedOrigins: c.allowedOrigins, allowedMethods: ["POST"] });
  for (const p of options.publicRead) add(p.bucket, { allowedOrigins: ["*"], allowedMethods: ["GET", "HEAD"] });
  return rules;
}

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("local S3 gate has no TCP address"));
      else resolve(address);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const host = options.host ?? "127.0.0.1";
  for (const p of options.publicRead) {
    if (!options.buckets.includes(p.bucket))
      throw new Error(`publicRead names bucket ${p.bucket}, which is not in buckets`);
  }
  await mkdir(options.dataDir, { recursive: true });
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), "local-s3-uploads-"));
  const backend = await Backend.start(options.dataDir, options.buckets);
  const faults = new Faults();
  const server = http.createServer(
    createGate({
      identity: { ...options.credentials, region: options.region },
      publicRead: options.publicRead,
      cors: corsRules(options),
      backend,
      faults,
      locks: new KeyLocks(),
      tmpDir,
      now: options.now ?? (() => new Date()),
    }),
  );
  let address: AddressInfo;
  try {
    address = await listen(server, options.port, host);
  } catch (error) {
    await backend.close();
    await rm(tmpDir, { recursive: true, force: true });
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    faults,
    close: () => {
      closing ??= (async () => {
        await closeServer(server);
        await backend.close();
        await rm(tmpDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
