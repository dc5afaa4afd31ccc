/** The lambda phase's tables (bench/README.md, "At Lambda's CPU share", says what each column means). */
import type { Summary } from "../stats";
import { table } from "../table";
import { COST_LINES, gbSeconds, lambdaBilledMs } from "./cost";
import type { LambdaPhaseResult } from "./phase";
import { PRICE_NAMES, type PriceName } from "./prices";
import { S3_OPS, type S3OpCounts } from "./s3-requests";
import { SCENARIO_LABELS } from "./service-cost";

const ms = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(1);
const pct = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? "-" : `${(v * 100).toFixed(0)}%`;
const usd = (v: number): string =>
  !Number.isFinite(v) ? "-" : v >= 10 ? v.toFixed(2) : v >= 1 ? v.toFixed(3) : v.toFixed(4);
const verdictWord = (pass: boolean): string => (pass ? "PASS" : "MISS");

export function perFunctionTable(r: LambdaPhaseResult): string {
  const rows = r.perFunction.map((f) => [
    f.name,
    String(f.memoryMb),
    f.vcpus.toFixed(3),
    ms(f.init.p50),
    ms(f.init.max),
    ms(f.spawnToReady.p50),
    ms(f.initCpuMs.p50),
    ms(f.first.p50),
    ms(f.warm.p50),
    String(f.maxMemoryUsedMb),
    f.taskTimeoutSeconds !== undefined ? `${f.taskState ?? ""} ${f.taskTimeoutSeconds} s` : "-",
    pct(f.initShareOfTimeout),
    pct(f.initMaxShareOfTimeout),
    f.initShareOfTimeout !== undefined ? verdictWord(f.initShareOfTimeout <= 0.25) : "-",
    f.errors.length > 0 ? String(f.errors.length) : "",
  ]);
  return table(
    [
      "function",
      "MB",
      "vCPU",
      "Init p50",
      "Init max",
      "spawn->ready",
      "Init CPU",
      "first p50",
      "warm p50",
      "peak MB",
      "Task timeout",
      "Init/timeout",
      "max/timeout",
      "<= 25%",
      "errors",
    ],
    rows,
  );
}

export function pathTable(r: LambdaPhaseResult): string {
  const p = r.path;
  const row = (name: string, s: Summary): string[] => [name, ms(s.p50), ms(s.min), ms(s.max), String(s.n)];
  return table(
    ["GET /thumbnail, ms", "p50", "min", "max", "n"],
    [
      row("fully cold miss, isolated (every function cold)", p.fullyCold.ms),
      row("warm miss, isolated", p.warm.isolatedMiss),
      row("warm miss, in-process", p.warm.inProcessMiss),
      row("warm hit, isolated", p.warm.isolatedHit),
      row("one Lambda: Init + first Duration (cold)", p.oneLambda.cold),
      row("one Lambda: Duration (warm)", p.warm.oneLambda),
    ],
  );
}

/** Per function, p50 of what each request's REPORTs said: Init (cold) / Duration. */
export function pathFunctionsTable(r: LambdaPhaseResult): string {
  const cost = (scenario: string) => r.cost.find((c) => c.scenario === scenario)?.work;
  const miss = cost("miss");
  const hit = cost("hit");
  const cold = cost("missCold");
  const names = [...new Set([...(cold?.invocations ?? []), ...(miss?.invocations ?? [])].map((i) => i.name))];
  const find = (w: typeof miss, name: string) => w?.invocations.find((i) => i.name === name);
  const rows = names.map((name) => {
    const c = find(cold, name);
    return [
      name,
      String(c?.memoryMb ?? find(miss, name)?.memoryMb ?? "-"),
      ms(c?.initMs),
      ms(c?.durationMs),
      ms(find(miss, name)?.durationMs),
      ms(find(hit, name)?.durationMs),
    ];
  });
  const execution = (w: typeof miss): string =>
    w?.express ? `${w.express.billedDurationMs} ms x ${w.express.billedMemoryMb} MB` : "-";
  rows.push(["Express execution, billed", "", "", execution(cold), execution(miss), execution(hit)]);
  return table(["function, p50 ms", "MB", "cold: Init", "cold: Duration", "warm miss", "warm hit"], rows);
}

export function tuningTable(r: LambdaPhaseResult): string {
  const rows = r.tuning.map((c) => [
    c.name,
    `${c.memoryMb}${c.isDefault ? "*" : ""}`,
    c.vcpus.toFixed(3),
    ms(c.init.p50),
    ms(c.spawnToReady.p50),
    ms(c.initCpuMs.p50),
    ms(c.first.p50),
    ms(c.cold.p50),
    ms(c.warm.p50),
    String(c.maxMemoryUsedMb),
    usd(c.usdPerMillionWarm),
    usd(c.usdPerMillionCold),
    c.errors.length > 0 ? String(c.errors.length) : "",
  ]);
  return table(
    [
      "function",
      "MB",
      "vCPU",
      "Init p50",
      "spawn->ready",
      "Init CPU",
      "first p50",
      "Init+first",
      "warm p50",
      "peak MB",
      "$/M warm",
      "$/M cold",
      "errors",
    ],
    rows,
  );
}

const COST_LABELS: Record<(typeof COST_LINES)[number] | "total", string> = {
  lambdaCompute: "Lambda duration (GB-s, arm64)",
  lambdaRequests: "Lambda requests",
  expressRequests: "Step Functions Express requests",
  expressDuration: "Step Functions Express duration",
  s3PutCopyPostList: "S3 PUT/COPY/POST/LIST",
  s3GetHead: "S3 GET/HEAD",
  httpApi: "HTTP API requests",
  total: "total",
};

export function costTable(r: LambdaPhaseResult): string {
  const lines = [...COST_LINES, "total"] as const;
  const oneLambda = r.cost.find((c) => c.scenario === "oneLambda")?.perMillion.total ?? Number.NaN;
  const rows = lines.map((k) => [COST_LABELS[k], ...r.cost.map((c) => usd(c.perMillion[k]))]);
  rows.push(["x one Lambda (warm)", ...r.cost.map((c) => (c.perMillion.total / oneLambda).toFixed(2))]);
  const gbs = (c: (typeof r.cost)[number]): number =>
    c.work.invocations.reduce((s, i) => s + gbSeconds(i.memoryMb, lambdaBilledMs(i.durationMs, i.initMs)), 0);
  rows.push(["Lambda GB-s per thumbnail", ...r.cost.map((c) => gbs(c).toFixed(4))]);
  rows.push(["Lambda invocations", ...r.cost.map((c) => String(c.work.invocations.length))]);
  rows.push([
    "S3 requests (PUT-class + GET-class)",
    ...r.cost.map((c) => `${c.work.s3.putCopyPostList} + ${c.work.s3.getHead}`),
  ]);
  return table(["USD per million thumbnails", ...r.cost.map((c) => SCENARIO_LABELS[c.scenario])], rows);
}

const opsLine = (c: S3OpCounts): string =>
  S3_OPS.filter((op) => c[op] > 0)
    .map((op) => `${c[op]} ${op}`)
    .join(" + ") || "none";

export function s3Lines(r: LambdaPhaseResult): string[] {
  const s = r.path.s3;
  const line = (name: keyof typeof s.counted): string =>
    `  ${name}: counted ${opsLine(s.counted[name])}; from the code ${opsLine(s.fromCode[name])}${opsLine(s.counted[name]) === opsLine(s.fromCode[name]) ? "" : "  <-- MISMATCH"}`;
  return [
    "S3 requests per thumbnail (counted at the local S3 during one request):",
    line("miss"),
    line("hit"),
    line("oneLambda"),
  ];
}

const PRICE_LABELS: Record<PriceName, string> = {
  lambdaArm64GbSecond: "Lambda duration, arm64",
  lambdaRequest: "Lambda requests",
  expressRequest: "Step Functions Express requests",
  expressGbSecond: "Step Functions Express duration",
  s3PutCopyPostList: "S3 Standard PUT/COPY/POST/LIST",
  s3GetHead: "S3 Standard GET/HEAD (and other)",
  httpApiRequest: "API Gateway HTTP API",
};

export function priceLines(r: LambdaPhaseResult): string[] {
  return [
    `Prices (${r.prices.region}, on-demand, first tier, no free tier; taken ${r.prices.takenOn}; bench/lambda/prices.ts):`,
    ...PRICE_NAMES.map((name) => {
      const p = r.prices.items[name];
      return `  ${PRICE_LABELS[name]}: ${p.quoted}; ${p.source} (${p.confirmed})`;
    }),
  ];
}

export function lambdaReport(r: LambdaPhaseResult): string[] {
  const out: string[] = [];
  const held =
    r.throttling.kind === "none"
      ? `!!! UNTHROTTLED: no cgroup could be made (${r.throttling.reason ?? "unknown"}). Every figure below ran on full cores, NOT at Lambda's CPU share: cold starts and durations are far shorter than on Lambda.`
      : `each environment held to memory/1769 of a vCPU by a cgroup ${r.throttling.kind} CPU quota, and to its memory`;
  out.push(`\nAt Lambda's CPU share: ${held}`);
  out.push(
    `${r.input} -> ${r.res} ${r.format}; load average ${r.loadAtStart.toFixed(2)} at phase start, ${r.loadAtEnd.toFixed(2)} at end, ${r.cores} cores`,
  );
  out.push(
    `\nPer function at its default memory: ${r.settings.coldRuns} cold run(s), ${r.settings.warmPerRun} warm invocation(s) after each; ms`,
  );
  out.push(
    "(Init: the REPORT's; spawn->ready: the same seen from outside, process start included; Init CPU: CPU ms it used, all threads; peak MB: the environment's VmHWM)",
  );
  out.push(perFunctionTable(r));
  out.push(
    `\nThe whole GET /thumbnail: ${r.settings.coldRuns} fully cold run(s), ${r.settings.pathSamples} warm sample(s) per variant, interleaved`,
  );
  out.push(pathTable(r));
  out.push("");
  out.push(pathFunctionsTable(r));
  out.push(
    `\nPower tuning: ${r.settings.tuningRuns} cold run(s) per cell, ${r.settings.tuningWarmPerRun} warm after each (* = default memory: the per-function figures); $ per million invocations, arm64`,
  );
  out.push(tuningTable(r));
  out.push("\nCost per million thumbnails (p50 durations; see bench/README.md)");
  out.push(costTable(r));
  out.push(...s3Lines(r));
  out.push(...priceLines(r));
  // Its targets join the run's "Targets and checks" (run.ts).
  return out;
}
