/**
 * `npm run bench:auth`: what JWT verification adds to a request. Two local services side by side in
 * this process, one open and one with JWT_ISSUER=local (the dev issuer in the app; its discovery and
 * JWKS are fetched over HTTP once, as any issuer's), answer GET /uploadURL, interleaved: each
 * iteration asks both, in alternating order, so machine noise lands on both alike. One token is
 * reused, as a browser reuses its token; its RS256 signature is still verified on every request.
 * Also the verifier alone, in-process, on the same token. BENCH_QUICK=1 is the smoke run;
 * BENCH_AUTH_SAMPLES / BENCH_AUTH_WARMUP set the counts, BENCH_RESULTS_DIR where the JSON goes.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createJwtVerifier } from "../local/auth/verifier";
import { LOCAL_ISSUER_DEFAULT_AUDIENCE } from "../local/auth/settings";
import { startLocalService, type LocalService } from "../local/service";
import { round2, summarize, type Summary } from "./stats";

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${name} must be a positive whole number, got '${raw}'`);
  return n;
}

const quick = process.env["BENCH_QUICK"] === "1";
const SAMPLES = count("BENCH_AUTH_SAMPLES", quick ? 30 : 1000);
const WARMUP = count("BENCH_AUTH_WARMUP", quick ? 5 : 100);
const RESULTS_DIR = process.env["BENCH_RESULTS_DIR"] ?? path.join(__dirname, "results");

async function start(auth: boolean): Promise<{ service: LocalService; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `thumb-bench-auth-${auth ? "on" : "off"}-`));
  const service = await startLocalService({
    port: 0,
    s3Port: 0,
    sfnPort: 0,
    dataDir,
    ...(auth ? { auth: { issuer: "local", audiences: [LOCAL_ISSUER_DEFAULT_AUDIENCE] } } : {}),
  });
  return { service, dataDir };
}

/** Request to last byte of the answer; throws unless 200, so a refusal never passes for a fast answer. */
async function timedUploadUrl(appUrl: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${appUrl}/uploadURL?contentType=image/jpeg`, { headers });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`/uploadURL answered ${res.status}`);
  return ms;
}

const row = (name: string, s: Summary): string =>
  `${name.padEnd(28)} ${s.p50.toFixed(2).padStart(8)} ${s.p95.toFixed(2).padStart(8)} ${s.mean.toFixed(2).padStart(8)}`;

async function main(): Promise<void> {
  process.env["LOG_LEVEL"] ??= "silent"; // the handlers' JSON lines are not what is measured
  const load = loadavg()[0] ?? 0;
  const [open, guarded] = await Promise.all([start(false), start(true)]);
  try {
    const signIn = await fetch(`${guarded.service.appUrl}/_local/issuer/sign-in`, {
      method: "POST",
      body: JSON.stringify({ user: "bench" }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const bearer = { authorization: `Bearer ${token}` };
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const keep = i >= WARMUP;
      const pair = async (first: "off" | "on"): Promise<void> => {
        const a =
          first === "off"
            ? await timedUploadUrl(open.service.appUrl, {})
            : await timedUploadUrl(guarded.service.appUrl, bearer);
        const b =
          first === "off"
            ? await timedUploadUrl(guarded.service.appUrl, bearer)
            : await timedUploadUrl(open.service.appUrl, {});
        if (!keep) return;
        (first === "off" ? off : on).push(a);
        (first === "off" ? on : off).push(b);
      };
      await pair(i % 2 === 0 ? "off" : "on");
    }
    // The verifier alone, on the same token against the same issuer (keys fetched once, then cached).
    const verifier = createJwtVerifier({
      issuer: `${guarded.service.appUrl}/_local/issuer`,
      audiences: [LOCAL_ISSUER_DEFAULT_AUDIENCE],
    });
    const verify: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const started = performance.now();
      const verdict = await verifier.verify(bearer.authorization);
      const ms = performance.now() - started;
      if (!verdict.ok) throw new Error(`the bench token was refused: ${verdict.reason}`);
      if (i >= WARMUP) verify.push(ms);
    }

    const offSummary = summarize(off);
    const onSummary = summarize(on);
    const verifySummary = summarize(verify);
    const difference = { p50: onSummary.p50 - offSummary.p50, p95: onSummary.p95 - offSummary.p95 };
    console.log(
      `GET /uploadURL through the local app, ${SAMPLES} interleaved pairs (${WARMUP} warm-up), load ${load.toFixed(2)} -> ${(loadavg()[0] ?? 0).toFixed(2)}`,
    );
    console.log(`${"ms".padEnd(28)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"mean".padStart(8)}`);
    console.log(row("open (no auth)", offSummary));
    console.log(row("JWT checked (RS256)", onSummary));
    console.log(row("verifier alone", verifySummary));
    console.log(`added per request: p50 ${difference.p50.toFixed(2)} ms, p95 ${difference.p95.toFixed(2)} ms`);

    const rounded = (s: Summary) => ({
      n: s.n,
      p50: round2(s.p50),
      p95: round2(s.p95),
      mean: round2(s.mean),
      min: round2(s.min),
      max: round2(s.max),
    });
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, "auth-cost-latest.json");
    await writeFile(
      file,
      `${JSON.stringify(
        {
          when: new Date().toISOString(),
          node: process.version,
          quick,
          samples: SAMPLES,
          warmup: WARMUP,
          loadAverage: { start: load, end: loadavg()[0] ?? 0 },
          uploadUrl: { open: rounded(offSummary), jwt: rounded(onSummary) },
          addedMs: { p50: round2(difference.p50), p95: round2(difference.p95) },
          verifierAlone: rounded(verifySummary),
        },
        null,
        2,
      )}\n`,
    );
    console.log(`written: ${file}`);
  } finally {
    for (const { service, dataDir } of [open, guarded]) {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
