/**
 * The targets and the resize step's checks, as ratios of figures from the same run, each
 * with PASS or MISS. Nothing here measures; it only compares.
 */
import type { ThroughputResult } from "./throughput";
import type { InputLatency } from "./latency";
import type { MemoryComparison } from "./memory";
import type { ReuseResult } from "./reuse";

export interface Verdict {
  /** What is compared, e.g. "(c)/(b) p50 jpeg-12mp". */
  name: string;
  value: number;
  /** "<=", "<" or ">=" limit. */
  op: "<=" | "<" | ">=";
  limit: number;
  pass: boolean;
  kind: "target" | "check";
}

export interface Judged {
  verdicts: Verdict[];
  allTargetsPass: boolean;
}

function verdict(kind: Verdict["kind"], name: string, value: number, op: Verdict["op"], limit: number): Verdict {
  const pass = op === "<=" ? value <= limit : op === "<" ? value < limit : value >= limit;
  return { kind, name, value, op, limit, pass: Number.isFinite(value) && pass };
}

/** Warm, a run of requests may open a connection or two (an idle socket timed out); not one per request. */
export const MAX_NEW_CONNECTIONS = 2;
/** RSS growth allowed over the last three quarters of the steady run. */
export const MAX_RSS_GROWTH_MB = 20;

export interface JudgeInput {
  primaryInput: string;
  latency: InputLatency[];
  throughput?: ThroughputResult;
  memory?: MemoryComparison;
  reuse?: ReuseResult;
}

export function judge(r: JudgeInput): Judged {
  const verdicts: Verdict[] = [];
  const ordered = [...r.latency].sort(
    (x, y) => Number(y.input === r.primaryInput) - Number(x.input === r.primaryInput),
  );
  for (const l of ordered) {
    const a = l.variants.sharp?.p50 ?? Number.NaN;
    const b = l.variants.oneLambda?.p50 ?? Number.NaN;
    const c = l.variants.serviceMiss?.p50 ?? Number.NaN;
    const d = l.variants.serviceHit?.p50 ?? Number.NaN;
    verdicts.push(verdict("target", `(c)/(b) p50, ${l.input}`, c / b, "<=", 1.15));
    if (l.input === r.primaryInput) verdicts.push(verdict("target", `(c)/(a) p50, ${l.input}`, c / a, "<=", 1.6));
    verdicts.push(verdict("target", `(d)/(c) p50, ${l.input}`, d / c, "<=", 0.2));
  }
  if (r.throughput) {
    const at2 = (points: ThroughputResult["sharp"]): number =>
      points.find((p) => p.inFlight === 2)?.opsPerSecond ?? Number.NaN;
    verdicts.push(
      verdict(
        "target",
        `service / sharp throughput, 2 in flight, ${r.throughput.input}`,
        at2(r.throughput.service) / at2(r.throughput.sharp),
        ">=",
        0.5,
      ),
    );
  }
  if (r.memory) verdicts.push(verdict("target", "service / sharp peak RSS", r.memory.peakRatio, "<", 2));
  for (const l of ordered) {
    if (!l.shrinkOnLoad || l.minShrinkGain === undefined) continue;
    const gain = (l.variants.sharpFull?.p50 ?? Number.NaN) / (l.variants.sharp?.p50 ?? Number.NaN);
    verdicts.push(verdict("check", `shrink-on-load kept: (a0)/(a) p50, ${l.input}`, gain, ">=", l.minShrinkGain));
  }
  if (r.reuse)
    verdicts.push(
      verdict(
        "check",
        `new connections during ${r.reuse.requests} warm requests`,
        r.reuse.total,
        "<=",
        MAX_NEW_CONNECTIONS,
      ),
    );
  if (r.memory?.steadiness) {
    verdicts.push(
      verdict(
        "check",
        `RSS growth (MB) over the last 3/4 of ${r.memory.steadiness.requests} requests`,
        r.memory.steadiness.rssGrowthMB,
        "<=",
        MAX_RSS_GROWTH_MB,
      ),
    );
  }
  return { verdicts, allTargetsPass: verdicts.filter((v) => v.kind === "target").every((v) => v.pass) };
}
