/** The checks StartSyncExecution makes before anything runs, with AWS's error types. */
import { SfnApiError } from "./api-errors";
import type { Json } from "./lambda";
import { PAYLOAD_LIMIT_BYTES } from "./payload-limit";

export interface StateMachineArnParts {
  partition: string;
  region: string;
  account: string;
  name: string;
}

const STATE_MACHINE_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):([0-9]{12}):stateMachine:([^\s:]{1,80})$/;

export function parseStateMachineArn(arn: string): StateMachineArnParts | undefined {
  const m = STATE_MACHINE_ARN.exec(arn);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined || m[4] === undefined) return undefined;
  return { partition: m[1], region: m[2], account: m[3], name: m[4] };
}

export function checkStateMachineArn(arn: string): StateMachineArnParts {
  const parts = parseStateMachineArn(arn);
  if (!parts) throw new SfnApiError("InvalidArn", `Invalid Arn: '${arn}'`);
  return parts;
}

const FORBIDDEN_NAME_CHARS = new Set([...'<>{}[]?*"#%\\^|~`$&,;:/']);

const isControl = (code: number): boolean => code <= 0x1f || (code >= 0x7f && code <= 0x9f);

/** Why `name` is not a valid execution name, or undefined when it is. */
export function executionNameProblem(name: string): string | undefined {
  const chars = [...name];
  if (chars.length < 1 || chars.length > 80) return "must be 1 to 80 characters long";
  for (const ch of chars) {
    if (/\s/u.test(ch)) return "must not contain whitespace";
    if (FORBIDDEN_NAME_CHARS.has(ch)) return `must not contain '${ch}'`;
    if (isControl(ch.codePointAt(0) ?? 0)) return "must not contain control characters";
  }
  return undefined;
}

export function checkExecutionName(name: string): void {
  const problem = executionNameProblem(name);
  if (problem) throw new SfnApiError("InvalidName", `Invalid Name: '${name}' (${problem})`);
}

/** The execution input, parsed: JSON text of at most 256 KiB (UTF-8). */
export function parseExecutionInput(text: string): Json {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > PAYLOAD_LIMIT_BYTES) {
    throw new SfnApiError(
      "InvalidExecutionInput",
      `Invalid State Machine Execution Input: ${bytes} bytes exceeds the maximum of ${PAYLOAD_LIMIT_BYTES} bytes`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SfnApiError(
      "InvalidExecutionInput",
      `Invalid State Machine Execution Input: '${err instanceof Error ? err.message : String(err)}'`,
    );
  }
}
