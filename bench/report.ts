/** The run's tables (stdout) and its JSON (results dir). */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BundleSize } from "./bundles";
import type { ColdSummary } from "./cold";
import { explainLatency } from "./explain";
import type { InputLatency } from "./latency";
import { lambdaReport } from "./lambda/report";
import type { LambdaPhaseResult } from "./lambda/phase";
import type { MemoryComparison } from "./memory";
import type { ReuseResult } from "./reuse";
import type { GcStats } from "./runtime-stats";
import type { Summary } from "./stats";
import { STORAGE_OPS, STORAGE_OP_LABELS, type StorageResult } from "./storage";
import type { Judged } from "./targets";
import type { ThroughputResult } from "./throughput";
import { table } from "./table";

export interface Environment {
  node: string;
  vips: string;
  sharp: string;
  sharpConcurrency: number;
  cpu: string;
  cores: number;
  /** 1-minute load average when the run started and ended. */
  loadAtStart: number;
  loadAtEnd: number;
  commit: string;
  /** V8/Node flags in effect (NODE_OPTIONS and the command line, tsx's loader hooks left out). */
  nodeFlags: string;
  /**
   * V8's new space at the end of the run: at its 32 MB maximum it can exceed the old generation's headroom
   * (bench/README.md).
   */
  newSpaceMB: number;
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  environment: Environment;
  settings: { inputs: string[]; primaryInput: string; warmup: number; samples: number; res: string; format: string };
  latency: InputLatency[];
  /** Garbage collections during the latency phase (all variants). */
  latencyGc?: GcStats;
  storage?: StorageResult;
  throughput?: ThroughputResult;
  reuse?: ReuseResult;
  memory?: MemoryComparison;
  cold?: ColdSummary;
  bundles?: BundleSize[];
  /** At Lambda's CPU share: per function, the whole request, power tuning, cost (bench/lambda/). */
  lambda?: LambdaPhaseResult;
  judged: Judged;
}

export { table };

const ms = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(1);
const pair = (s: Summary | undefined): string => (s ? `${ms(s.p50)} / ${ms(s.p95)}` : "-");
const ratio = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : "-");
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const kb = (bytes: number): string => (bytes / 1024).toFixed(0);

export function latencyTable(latency: InputLatency[]): string {
  const rows = latency.map((l) => {
    const v = l.variants;
    const p = (s: Summary | undefined): number => s?.p50 ?? Number.NaN;
    return [
      l.input,
      mb(l.bytes),
      pair(v.sharp),
      pair(v.sharpFull),
      pair(v.oneLambda),
      pair(v.serviceMiss),
      pair(v.serviceHit),
      ratio(p(v.serviceMiss) / p(v.oneLambda)),
      ratio(p(v.serviceMiss) / p(v.sharp)),
      ratio(p(v.serviceHit) / p(v.serviceMiss)),
      ratio(p(v.sharpFull) / p(v.sharp)),
      String(l.gc.major),
    ];
  });
  return table(
    [
      "input",
      "MB",
      "(a) sharp",
      "(a0) full decode",
      "(b) one Lambda",
      "(c) miss",
      "(d) hit",
      "c/b",
      "c/a",
      "d/c",
      "a0/a",
      "full GCs",
    ],
    rows,
  );
}

export function breakdownTable(latency: InputLatency[]): string {
  const states = ["Validate", "Fetch", "Resize", "StorePublic", "ReturnUrl"];
  const rows = latency.map((l) => [
    l.input,
    ms(l.variants.serviceMiss?.p50),
    ms(l.breakdown.outsideExecution),
    ms(l.breakdown.execution),
    ...states.map((s) => ms(l.breakdown.states[s])),
    ms(l.variants.oneLambda?.p50),
  ]);
  return table(["input", "(c) p50", "outside exec.", "execution", ...states, "(b) p50"], rows);
}

export function storageTable(s: StorageResult): string {
  const rows = STORAGE_OPS.map((op) => [
    STORAGE_OP_LABELS[op],
    pair(s.gated[op]),
    pair(s.raw[op]),
    ms(s.gated[op].p50 - s.raw[op].p50),
  ]);
  rows.push([
    "(c)'s extra ops: 3 HEAD + COPY",
    ms(s.extraOpsGatedMs),
    ms(s.extraOpsRawMs),
    ms(s.extraOpsGatedMs - s.extraOpsRawMs),
  ]);
  return table(["operation (p50 / p95 ms)", "SDK -> gate -> s3rver", "raw s3rver", "SDK + gate"], rows);
}

export function throughputTable(t: ThroughputResult): string {
  const row = (name: string, points: ThroughputResult["sharp"]): string[] => [
    name,
    ...points.flatMap((p) => [p.opsPerSecond.toFixed(1), ms(p.latency.p50)]),
  ];
  return table(
    ["thumbnails/s (p50 ms)", "1 in flight", "p50 ms", "2 in flight", "p50 ms"],
    [row("sharp alone", t.sharp), row("service (miss)", t.service)],
  );
}

/** CPU per thumbnail by thread group and GC activity, for each throughput configuration. */
export function throughputCpuTable(t: ThroughputResult): string {
  const points = [
    ...t.sharp.map((p) => ({ name: `sharp, ${p.inFlight}`, p })),
    ...t.service.map((p) => ({ name: `service, ${p.inFlight}`, p })),
  ];
  const groups = [...new Set(points.flatMap(({ p }) => Object.keys(p.cpuPerThumbnailMs ?? {})))].sort();
  const total = (p: ThroughputResult["sharp"][number]): number =>
    Object.values(p.cpuPerThumbnailMs ?? {}).reduce((a, b) => a + b, 0);
  const rows = groups.map((g) => [g, ...points.map(({ p }) => ms(p.cpuPerThumbnailMs?.[g] ?? 0))]);
  rows.push(["total CPU ms per thumbnail", ...points.map(({ p }) => ms(total(p)))]);
  rows.push(["full GCs (all rounds)", ...points.map(({ p }) => String(p.gc.major))]);
  rows.push(["GC pause ms (all rounds)", ...points.map(({ p }) => ms(p.gc.pauseMs))]);
  return table(["CPU ms per thumbnail, in flight", ...points.map(({ name }) => name)], rows);
}

export function memoryTable(m: MemoryComparison): string {
  const rows = [
    ["sharp alone", m.sharp.baselineRssMB.toFixed(0), m.sharp.peakRssMB.toFixed(0), String(m.sharp.thumbnails)],
    ["service", m.service.baselineRssMB.toFixed(0), m.service.peakRssMB.toFixed(0), String(m.service.thumbnails)],
  ];
  return table(["process", "baseline RSS MB", "peak RSS MB", "thumbnails"], rows);
}

export function steadinessTable(m: MemoryComparison): string {
  const s = m.steadiness;
  if (!s) return "(no steady run)";
  const rows = s.readings.map((r) => [
    String(r.done),
    r.rssMB.toFixed(0),
    r.heapUsedMB.toFixed(1),
    r.externalMB.toFixed(1),
  ]);
  return table(["requests", "RSS MB", "heap used MB (after GC)", "external MB"], rows);
}

export function coldTable(c: ColdSummary): string {
  const row = (name: string, s: Summary): string[] => [name, ms(s.p50), ms(s.min), ms(s.max)];
  return table(
    ["cold start (ms)", "p50", "min", "max"],
    [
      row("process start -> modules loaded", c.loadMs),
      row("startLocalService", c.startMs),
      row("first GET /thumbnail (miss)", c.firstMs),
      row("warm GET /thumbnail (miss)", c.warmMs),
      row("GET /thumbnail (hit)", c.hitMs),
    ],
  );
}

export function bundlesTable(b: BundleSize[]): string {
  return table(
    ["function", "index.js KB", "gzip KB", "native MB"],
    b.map((s) => [s.name, kb(s.bytes), kb(s.gzipBytes), s.nativeBytes ? mb(s.nativeBytes) : "-"]),
  );
}

export function verdictLines(j: Judged): string {
  return j.verdicts
    .map(
      (v) =>
        `${v.pass ? "PASS" : "MISS"}  ${v.kind === "target" ? "target" : "check "}  ${v.name}: ${ratio(v.value)} ${v.op} ${v.limit}`,
    )
    .join("\n");
}

export function printReport(r: BenchResult, out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): void {
  const e = r.environment;
  out(`\nthumbnail bench ${r.quick ? "(QUICK: smoke run, figures not meaningful)" : ""}`);
  out(
    `node ${e.node}${e.nodeFlags ? ` (${e.nodeFlags})` : ""}, sharp ${e.sharp} (libvips ${e.vips}, concurrency ${e.sharpConcurrency}), ${e.cores} x ${e.cpu}`,
  );
  out(
    `load average ${e.loadAtStart.toFixed(2)} at start, ${e.loadAtEnd.toFixed(2)} at end; ${r.settings.samples} samples after ${r.settings.warmup} warm-up per variant; thumbnail ${r.settings.res} ${r.settings.format}\n`,
  );
  out("Latency, ms p50 / p95 (interleaved, same inputs)");
  out(latencyTable(r.latency));
  if (r.latencyGc) {
    out(
      `(whole phase: ${r.latencyGc.major} full GCs, ${r.latencyGc.minor} scavenges, ${ms(r.latencyGc.pauseMs)} ms of GC pauses)`,
    );
  }
  out("\n(c) cache miss, where the time goes (medians, ms; state times from the local execution log, 1 ms resolution)");
  out(breakdownTable(r.latency));
  if (r.storage) {
    out(
      `\nLocal S3 per operation, ms p50 / p95 (source ${mb(r.storage.sourceBytes)} MB, thumbnail ${kb(r.storage.thumbnailBytes)} KB)`,
    );
    out(storageTable(r.storage));
  }
  if (r.throughput) {
    out(`\nThroughput, ${r.throughput.input}, ${r.throughput.opsPerRound} thumbnails per configuration and round`);
    out(throughputTable(r.throughput));
    if (r.throughput.sharp.some((p) => p.cpuPerThumbnailMs)) {
      out("");
      out(throughputCpuTable(r.throughput));
    }
  }
  if (r.reuse) {
    out(
      `\nConnections opened during ${r.reuse.requests} warm GET /thumbnail: ${Object.entries(r.reuse.newConnections)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")}`,
    );
  }
  if (r.memory) {
    out(
      `\nPeak memory, separate processes, same workload (${r.memory.inputs.join(", ")}; ${r.memory.rounds} round(s), 2 in flight)`,
    );
    out(memoryTable(r.memory));
    if (r.memory.steadiness) {
      out(
        `\nService memory over ${r.memory.steadiness.requests} sequential cache misses (${r.memory.inputs[0] ?? ""})`,
      );
      out(steadinessTable(r.memory));
    }
  }
  if (r.cold) {
    out(`\nCold start, ${r.cold.runs.length} fresh process(es)`);
    out(coldTable(r.cold));
  }
  if (r.bundles) {
    out("\nLambda bundles (esbuild, minified, node22, as infra/bundle.ts builds them)");
    out(bundlesTable(r.bundles));
  }
  if (r.lambda) out(lambdaReport(r.lambda).join("\n"));
  out("\nTargets and checks");
  out(verdictLines(r.judged));
  const explanation = explainLatency(
    r.latency.find((l) => l.input === r.settings.primaryInput),
    r.storage,
  );
  if (explanation.length > 0) out(`\n${explanation.join("\n")}`);
}

/** Writes <resultsDir>/bench-<time>.json and latest.json; returns the first path. */
export async function writeResult(resultsDir: string, r: BenchResult): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `bench-${r.startedAt.replace(/[:.]/g, "-")}.json`);
  const text = `${JSON.stringify(r, null, 2)}\n`;
  await writeFile(file, text);
  await writeFile(path.join(resultsDir, "latest.json"), text);
  return file;
}
