/**
 * Step Functions' payload quota: 256 KiB of UTF-8 JSON for the execution input, each state's input
 * and output, and the execution output. The interpreter has no such limit; this adds it.
 */

export const PAYLOAD_LIMIT_BYTES = 262_144;

/** UTF-8 size of `value` as JSON (0 for undefined, which JSON cannot carry). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text, "utf8");
}

export type PayloadKind = "input" | "output";

/**
 * A terminal error, as on AWS: neither Retry nor Catch (States.ALL included) may match it. The
 * interpreter reads `isRetryable` / `isCatchable` on whatever a state throws.
 */
export class DataLimitExceeded extends Error {
  override readonly name = "States.DataLimitExceeded";
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(
    readonly state: string,
    readonly kind: PayloadKind,
    readonly bytes: number,
  ) {
    super(
      `The state/task '${state}' ${kind === "input" ? "has an input" : "returned a result"} with a size of ${bytes} bytes, ` +
        `exceeding the maximum number of bytes service limit (${PAYLOAD_LIMIT_BYTES}).`,
    );
  }
}

/** Throws DataLimitExceeded when `value` is over the quota; returns its size otherwise. */
export function checkPayload(state: string, kind: PayloadKind, value: unknown): number {
  const bytes = jsonBytes(value);
  if (bytes > PAYLOAD_LIMIT_BYTES) throw new DataLimitExceeded(state, kind, bytes);
  return bytes;
}
