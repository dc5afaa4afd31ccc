/**
 * `npm run soak`: 1000 thumbnails made in one process (SOAK_THUMBNAILS), every one a cache miss
 * (50 small uploads x every offered resolution x every format, 4 in flight), against the service
 * started in this process. Every 50 thumbnails it takes a full GC and reads RSS and heapUsed, then
 * decides whether memory levelled off:
 *  - RSS: over the last quarter of the run, RSS grows by less than 10% of the RSS at the end of the
 *    warm-up (the first quarter): max(RSS in the last quarter) - RSS at its start < 0.10 x RSS(warm).
 *  - heap: the least-squares slope of heapUsed (after GC) over the samples after the warm-up,
 *    projected over those thumbnails, is less than 10% of the heap at the end of the warm-up.
 * Also: every answer a 200 that was made, not cached. Prints the series and PASS/FAIL (exit 1 on FAIL);
 * results go to bench/results/soak-*.json.
 */
import { jpeg } from "../test/fixtures/images";
import { thumbnail, upload } from "./workload/client";
import { fullGc, sampleMemory, type MemorySample } from "./workload/memory";
import { percentiles, verdict, writeResults, type Criterion, runCommand } from "./workload/report";
import { startTarget } from "./workload/target";

const THUMBNAILS = Number(process.env["SOAK_THUMBNAILS"] ?? 1000);
const SAMPLE_EVERY = 50;
const IN_FLIGHT = 4;
const GROWTH_BOUND = 0.1;

interface Point extends MemorySample {
  thumbnails: number;
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

async function main(): Promise<void> {
  const target = await startTarget();
  if (!target.inProcess) throw new Error("the soak measures this process's memory: unset LOAD_TARGET_URL");
  const gc = fullGc();
  try {
    const perImage = target.resolutions.length * target.formats.length;
    const images = Math.ceil(THUMBNAILS / perImage);
    console.log(
      `soak: ${THUMBNAILS} thumbnails = ${images} uploads x ${target.resolutions.length} resolutions x ${target.formats.length} formats, ${IN_FLIGHT} in flight`,
    );
    const asks: { imageName: string; res: string; format: string }[] = [];
    for (let i = 0; i < images; i++) {
      // Distinct small JPEGs (640x480, so every resolution up to 512 is a real resize).
      const u = await upload(target.appUrl, await jpeg(640, 480, 1000 + i));
      if (!u.imageName) throw new Error(`upload failed: ${JSON.stringify(u)}`);
      const imageName = u.imageName;
      asks.push(...target.resolutions.flatMap((res) => target.formats.map((format) => ({ imageName, res, format }))));
    }
    asks.length = THUMBNAILS;

    const series: Point[] = [];
    const take = (thumbnails: number) => {
      gc();
      series.push({ thumbnails, ...sampleMemory() });
    };
    take(0);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let cachedAnswers = 0;
    let done = 0;
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      for (let i = next++; i < asks.length; i = next++) {
        const ask = asks[i];
        if (!ask) break;
        const r = await thumbnail(target.appUrl, ask.imageName, ask.res, ask.format);
        latencies.push(r.ms);
        statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
        if (r.cached) cachedAnswers++;
        done++;
        if (done % SAMPLE_EVERY === 0) take(done);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - started) / 1000;

    console.log(
      `\n${"thumbnails".padStart(10)} ${"rss MB".padStart(8)} ${"heap MB".padStart(8)} ${"ext MB".padStart(8)}`,
    );
    for (const p of series) {
      console.log(
        `${String(p.thumbnails).padStart(10)} ${p.rssMb.toFixed(1).padStart(8)} ${p.heapUsedMb.toFixed(1).padStart(8)} ${p.externalMb.toFixed(1).padStart(8)}`,
      );
    }
    const latency = percentiles(latencies);
    console.log(
      `\n${done} thumbnails in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(1)}/s), p50 ${latency.p50} ms, p99 ${latency.p99} ms; statuses ${JSON.stringify(statuses)}`,
    );

    const at = (n: number): Point | undefined => series.find((p) => p.thumbnails >= n);
    const warm = at(THUMBNAILS / 4);
    const lastQuarterStart = at((THUMBNAILS * 3) / 4);
    if (!warm || !lastQuarterStart) throw new Error("too few samples: raise SOAK_THUMBNAILS");
    const lastQuarter = series.filter((p) => p.thumbnails >= lastQuarterStart.thumbnails);
    const rssGrowth = Math.max(...lastQuarter.map((p) => p.rssMb)) - lastQuarterStart.rssMb;
    const afterWarm = series.filter((p) => p.thumbnails >= warm.thumbnails);
    const heapSlope = slope(afterWarm.map((p) => ({ x: p.thumbnails, y: p.heapUsedMb })));
    const heapProjected = heapSlope * (THUMBNAILS - warm.thumbnails);
    const ok = statuses["200"] ?? 0;
    const criteria: Criterion[] = [
      { name: `all ${THUMBNAILS} answered 200`, pass: ok === THUMBNAILS, detail: JSON.stringify(statuses) },
      {
        name: "every one a cache miss (made, not found)",
        pass: cachedAnswers === 0,
        detail: `${cachedAnswers} cached answers`,
      },
      {
        name: `RSS levels off: last-quarter growth < ${GROWTH_BOUND * 100}% of RSS after warm-up`,
        pass: rssGrowth < GROWTH_BOUND * warm.rssMb,
        detail: `${rssGrowth.toFixed(1)} MB vs bound ${(GROWTH_BOUND * warm.rssMb).toFixed(1)} MB (RSS ${warm.rssMb} MB at ${warm.thumbnails})`,
      },
      {
        name: `heapUsed (after GC) not trending up: projected growth after warm-up < ${GROWTH_BOUND * 100}% of heap after warm-up`,
        pass: heapProjected < GROWTH_BOUND * warm.heapUsedMb,
        detail: `${heapProjected.toFixed(2)} MB over ${THUMBNAILS - warm.thumbnails} thumbnails (slope ${(heapSlope * 1000).toFixed(2)} MB/1000) vs bound ${(GROWTH_BOUND * warm.heapUsedMb).toFixed(1)} MB`,
      },
    ];
    const pass = verdict("soak", criteria);
    const file = await writeResults("soak", {
      thumbnails: THUMBNAILS,
      inFlight: IN_FLIGHT,
      seconds,
      latency,
      statuses,
      series,
      rssGrowthLastQuarterMb: rssGrowth,
      heapSlopeMbPerThumbnail: heapSlope,
      criteria,
      pass,
    });
    console.log(`results: ${file}`);
  } finally {
    await target.close();
  }
}

runCommand("soak", main);
