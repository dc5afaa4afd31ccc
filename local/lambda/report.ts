/**
 * Lambda's REPORT line and billing, per invocation. Since August 2025 Lambda bills the Init phase of
 * on-demand functions too, so a cold invocation's Billed Duration is Init + Duration, rounded up to
 * the millisecond.
 */
export interface InvocationReport {
  functionName: string;
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Only on the invocation that started its environment. */
  initDurationMs?: number;
  /** How the invocation ended, when it did not return ("timeout", "error" for a crash). */
  status?: "timeout" | "error";
}

export function billedDurationMs(report: Pick<InvocationReport, "durationMs" | "initDurationMs">): number {
  return Math.ceil(report.durationMs + (report.initDurationMs ?? 0));
}

/** As Lambda writes it to the function's log stream (tab-separated fields). */
export function reportLine(r: InvocationReport): string {
  const fields = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(r)} ms`,
    `Memory Size: ${r.memorySizeMb} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMb} MB`,
  ];
  if (r.initDurationMs !== undefined) fields.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.status !== undefined) fields.push(`Status: ${r.status}`);
  return fields.join("\t");
}
