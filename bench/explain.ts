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
      `  The four storage calls (c) makes beyond (b) take ${f(storage.extraOpsGatedMs)} ms through SDK + gate, ` +
        `${f(storage.extraOpsRawMs)} ms of it in s3rver itself (raw HTTP, no SDK, no gate); ` +
        `the source GET costs ${f(storage.gated.getSource.p50)} ms (raw s3rver ${f(storage.raw.getSource.p50)} ms).`,
    );
  }
  return lines;
}
