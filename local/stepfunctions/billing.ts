/**
 * The `billingDetails` of a StartSyncExecution answer, as AWS bills Express executions: duration
 * rounded up to the next 100 ms, memory in 64 MB chunks. AWS sizes the memory from the definition
 * and the execution's data; ours (a few KB of each) always fits the first chunk.
 */
export interface BillingDetails {
  billedMemoryUsedInMB: number;
  billedDurationInMilliseconds: number;
}

export const EXPRESS_DURATION_INCREMENT_MS = 100;
export const EXPRESS_MEMORY_CHUNK_MB = 64;

export function expressBilling(durationMs: number): BillingDetails {
  return {
    billedMemoryUsedInMB: EXPRESS_MEMORY_CHUNK_MB,
    billedDurationInMilliseconds:
      Math.max(1, Math.ceil(durationMs / EXPRESS_DURATION_INCREMENT_MS)) * EXPRESS_DURATION_INCREMENT_MS,
  };
}
