/**
 * Plain-words reading of the latency targets for the primary input: how much room each ratio
 * leaves, what the service spends it on, and how much of that is the local S3's own work (raw
 * s3rver, measured in the storage phase). Figures only; no verdicts (targets.ts has those).
 */
import type { InputLatency } from "./latency";
import type { StorageResult } from "./storage";

const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : "-");

export function explainLatency(l: InputLatency | undefined, storage: StorageResult | undefined): string[] {
  if (!l) return [];
  const a = l.variants.sharp?.p50 ?? Number.NaN;
  const b = l.variants.oneLambda?.p50 ?? Number.NaN;
  const c = l.variants.serviceMiss?.p50 ?? Number.NaN;
  const s = l.breakdown.states;
  const lines = [
    `${l.input}: (c) - (b) = ${f(c - b)} ms against a budget of ${f(0.15 * b)} ms (15 % of (b)); ` +
      `(c) - (a) = ${f(c - a)} ms against ${f(0.6 * a)} ms (60 % of (a)); (b) alone is ${f(b / a)} x (a).`,
    `  (c) beyond (b): Fetch ${f(s["Fetch"] ?? Number.NaN)} ms (2 HEADs), StorePublic ${f(s["StorePublic"] ?? Number.NaN)} ms (HEAD + COPY), ` +
      `outside the execution ${f(l.breakdown.outsideExecution)} ms (HTTP, API handler, Step Functions hop).`,
  ];
  if (storage) {
    lines.push(
      `  Those four storage calls (3 HEAD + COPY) take ${f(storage.extraOpsGatedMs)} ms through the SDK and the gate; ` +
        `s3rver alone answers the same calls in ${f(storage.extraOpsRawMs)} ms (raw HTTP, no SDK, no gate), ` +
        `so the local S3's own cost for them is about ${f((storage.extraOpsRawMs / (0.15 * b)) * 100)} % of the (c)/(b) budget.`,
    );
  }
  return lines;
}
