/**
 * Runs index.ts once per test process under the mocks, with a test stack config, and hands the tests
 * the recorded resources. Mocks and config first, then the program, as Pulumi's mocha example does.
 */
import * as pulumi from "@pulumi/pulumi";
import { rmSync } from "node:fs";
import path from "node:path";
import { resourcePrefix } from "../../../infra/naming";
import { PROJECT, isRecord, recorded, settled, valueOf, type RecordedResource } from "./mocks";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const PREFIX = resourcePrefix(pulumi.getStack());
/** Where the program under test writes its bundles (removed after the run). */
export const BUNDLE_DIR = path.join(ROOT, "dist", "lambdas", PREFIX);

/** The stack config of the program under test: defaults, except what these settings show flowing through. */
export const TEST_CONFIG = {
  allowedOrigins: '["http://localhost:5173"]',
  logRetentionDays: "30",
  alarmEmail: "ops@example.com",
  throttleRateLimit: "40",
  throttleBurstLimit: "80",
  resolutions: "64x64,256x256",
  // Sign-in on, so the program's whole path to the JWT authorizer runs; the open API is built
  // separately (test/infra/program-api-auth.test.ts).
  jwtIssuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example",
  jwtAudience: '["app-client-1","app-client-2"]',
} as const;

for (const [key, value] of Object.entries(TEST_CONFIG)) pulumi.runtime.setConfig(`${PROJECT}:${key}`, value);

export interface ProgramRun {
  outputs: Record<string, unknown>;
  resources: RecordedResource[];
  /** What the program passed to pulumi.log.warn (shown by `pulumi up`). */
  warnings: string[];
}

const warnings: string[] = [];
/** Every warning logged through pulumi.log.warn since this module loaded, the program's and others'. */
export const loggedWarnings: readonly string[] = warnings;
// pulumi.log is one module object: the program's calls land here (instead of on the console).
const log: { warn: (message: string) => Promise<void> } = pulumi.log;
log.warn = (message) => {
  warnings.push(message);
  return Promise.resolve();
};

let run: Promise<ProgramRun> | undefined;

async function load(): Promise<ProgramRun> {
  const program = await import("../../../index.js");
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await valueOf(value) : value;
  }
  // Functions wait for their bundles, and the dashboard for all the functions: registered once settled.
  await settled();
  return { outputs, resources: recorded, warnings };
}

export function loadProgram(): Promise<ProgramRun> {
  run ??= load();
  return run;
}

/** Where the program under test builds the page. */
export const SITE_DIR = path.join(ROOT, "dist", "site", PREFIX);

after(() => {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  rmSync(SITE_DIR, { recursive: true, force: true });
});

/** Resources of a type, optionally with a name. */
export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: RecordedResource[], type: string, name: string): RecordedResource {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  const [resource] = found;
  if (resource === undefined) throw new Error("unreachable");
  return resource;
}

/** A nested input, by path; undefined if any step is missing. */
export function at(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof key === "number") current = Array.isArray(current) ? current[key] : undefined;
    else current = isRecord(current) ? current[key] : undefined;
  }
  return current;
}

export function text(value: unknown): string {
  if (typeof value !== "string") throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A JSON document stored in a string input (policies, definitions, dashboards). */
export function json(value: unknown): unknown {
  return JSON.parse(text(value));
}
