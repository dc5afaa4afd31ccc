/**
 * `npm run load`: a steady mixed load for a bounded time (LOAD_SECONDS, default 60), against the
 * service started in this process (or LOAD_TARGET_URL). Three kinds of traffic run at once:
 *  - thumbnail hits: autocannon, each request a random thumbnail made before the clock started;
 *  - thumbnail misses: autocannon, each request a size/format of an uploaded image not asked for yet
 *    (uploads keep adding new ones; when none is left it asks for a random one, and the answer's
 *    `cached` flag tells which it was);
 *  - uploads: GET /uploadURL and the presigned multipart POST of a small JPEG, in a fetch loop
 *    (the POST's fields differ per ticket, which autocannon's fixed `form` cannot express).
 * Prints throughput, p50/p99 per kind, every status count, the peak RSS, and PASS/FAIL against
 * stated criteria (exit code 1 on FAIL). Results go to bench/results/load-*.json.
 */
import autocannon from "autocannon";
import { jpeg } from "../test/fixtures/images";
import { NETWORK_ERROR, upload, type Timed } from "./workload/client";
import { watchPeakRss } from "./workload/memory";
import { percentiles, verdict, writeResults, type Criterion, runCommand } from "./workload/report";
import { startTarget } from "./workload/target";

const SECONDS = Number(process.env["LOAD_SECONDS"] ?? 60);
/** The pass criteria's latency bounds (p99, ms): well inside the API's 29 s, and what a user would accept. */
const P99_BOUND_MS = { hit: 1000, miss: 5000, uploadUrl: 1000, uploadPost: 2000 } as const;
const CONNECTIONS = { hit: 6, miss: 3 } as const;
const UPLOAD_WORKERS = 2;
/** Images uploaded, and thumbnails made of them, before the clock starts. */
const WARM_IMAGES = 10;
const HOT_PER_IMAGE = 3;

interface Ask {
  imageName: string;
  res: string;
  format: string;
}

const pathOf = (a: Ask): string => `/thumbnail?imageName=${a.imageName}&res=${a.res}&format=${a.format}`;
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function countStatuses(into: Record<string, number>, status: number): void {
  const key = status === NETWORK_ERROR ? "network error" : String(status);
  into[key] = (into[key] ?? 0) + 1;
}

async function main(): Promise<void> {
  const target = await startTarget();
  const memory = target.inProcess ? watchPeakRss(100) : undefined;
  try {
    // Small JPEGs, distinct bytes: 16 seeds cycled (an image name is new on every upload anyway).
    const sources = await Promise.all(Array.from({ length: 16 }, (_, i) => jpeg(320, 240, 100 + i)));
    const combos = (imageName: string): Ask[] =>
      target.resolutions.flatMap((res) => target.formats.map((format) => ({ imageName, res, format })));

    // Before the clock: a pool of uploads and a hot set of thumbnails already made.
    const pool: string[] = [];
    for (let i = 0; i < WARM_IMAGES; i++) {
      const u = await upload(target.appUrl, sources[i % sources.length] ?? Buffer.alloc(0));
      if (!u.imageName) throw new Error(`warm-up upload failed: ${JSON.stringify(u)}`);
      pool.push(u.imageName);
    }
    const hot: Ask[] = [];
    const fresh: Ask[] = [];
    for (const imageName of pool) {
      const all = shuffled(combos(imageName));
      hot.push(...all.slice(0, HOT_PER_IMAGE));
      fresh.push(...all.slice(HOT_PER_IMAGE));
    }
    for (const a of hot) {
      const r = await fetch(`${target.appUrl}${pathOf(a)}`);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`warm-up thumbnail ${pathOf(a)} answered ${r.status}`);
    }
    shuffled(fresh);

    const cachedFlags = { hit: { cached: 0, made: 0 }, miss: { cached: 0, made: 0 } };
    const onThumbnail = (kind: "hit" | "miss") => (_status: number, body: string) => {
      if (body.includes('"cached":true')) cachedFlags[kind].cached++;
      else if (body.includes('"cached":false')) cachedFlags[kind].made++;
    };
    console.log(
      `load: ${SECONDS} s against ${target.appUrl} (${target.inProcess ? "in this process" : "remote"}); ` +
        `${CONNECTIONS.hit} hit + ${CONNECTIONS.miss} miss connections, ${UPLOAD_WORKERS} upload workers`,
    );

    const hits = autocannon({
      url: target.appUrl,
      title: "thumbnail hits",
      connections: CONNECTIONS.hit,
      duration: SECONDS,
      timeout: 30,
      requests: [
        { method: "GET", setupRequest: (req) => ({ ...req, path: pathOf(pick(hot)) }), onResponse: onThumbnail("hit") },
      ],
    });
    const misses = autocannon({
      url: target.appUrl,
      title: "thumbnail misses",
      connections: CONNECTIONS.miss,
      duration: SECONDS,
      timeout: 30,
      requests: [
        {
          method: "GET",
          setupRequest: (req) => ({ ...req, path: pathOf(fresh.shift() ?? { ...pick(hot), imageName: pick(pool) }) }),
          onResponse: onThumbnail("miss"),
        },
      ],
    });

    const uploads = { ticket: [] as Timed[], post: [] as Timed[] };
    const deadline = Date.now() + SECONDS * 1000;
    const worker = async (w: number): Promise<void> => {
      for (let i = w; Date.now() < deadline; i += UPLOAD_WORKERS) {
        const u = await upload(target.appUrl, sources[i % sources.length] ?? Buffer.alloc(0));
        uploads.ticket.push(u.ticket);
        if (u.post) uploads.post.push(u.post);
        if (u.imageName) {
          pool.push(u.imageName);
          fresh.push(...shuffled(combos(u.imageName)));
        }
      }
    };
    const [hitResult, missResult] = await Promise.all([
      hits,
      misses,
      ...Array.from({ length: UPLOAD_WORKERS }, (_, w) => worker(w)),
    ]);
    const peak = memory?.stop();

    const statuses: Record<string, Record<string, number>> = {
      "thumbnail hits": {},
      "thumbnail misses": {},
      "GET /uploadURL": {},
      "upload POST": {},
    };
    for (const [kind, result] of [
      ["thumbnail hits", hitResult],
      ["thumbnail misses", missResult],
    ] as const) {
      for (const [code, { count }] of Object.entries(result.statusCodeStats))
        statuses[kind] = { ...statuses[kind], [code]: count };
    }
    for (const t of uploads.ticket) countStatuses(statuses["GET /uploadURL"] ?? {}, t.status);
    for (const t of uploads.post) countStatuses(statuses["upload POST"] ?? {}, t.status);

    const ticketLatency = percentiles(uploads.ticket.map((t) => t.ms));
    const postLatency = percentiles(uploads.post.map((t) => t.ms));
    const kinds = {
      "thumbnail hits": {
        requests: hitResult.requests.total ?? 0,
        perSecond: hitResult.requests.average,
        p50: hitResult.latency.p50,
        p99: hitResult.latency.p99,
      },
      "thumbnail misses": {
        requests: missResult.requests.total ?? 0,
        perSecond: missResult.requests.average,
        p50: missResult.latency.p50,
        p99: missResult.latency.p99,
      },
      "GET /uploadURL": {
        requests: ticketLatency.count,
        perSecond: ticketLatency.count / SECONDS,
        p50: ticketLatency.p50,
        p99: ticketLatency.p99,
      },
      "upload POST": {
        requests: postLatency.count,
        perSecond: postLatency.count / SECONDS,
        p50: postLatency.p50,
        p99: postLatency.p99,
      },
    };
    const total = Object.values(kinds).reduce((n, k) => n + k.requests, 0);

    console.log(
      `\n${"kind".padEnd(18)} ${"requests".padStart(9)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}  statuses`,
    );
    for (const [kind, k] of Object.entries(kinds)) {
      console.log(
        `${kind.padEnd(18)} ${String(k.requests).padStart(9)} ${k.perSecond.toFixed(1).padStart(8)} ${k.p50.toFixed(1).padStart(8)} ${k.p99.toFixed(1).padStart(8)}  ${JSON.stringify(statuses[kind])}`,
      );
    }
    console.log(`total: ${total} requests in ${SECONDS} s = ${(total / SECONDS).toFixed(1)} req/s`);
    console.log(
      `thumbnails answered from the store / made: hits ${cachedFlags.hit.cached}/${cachedFlags.hit.made}, misses ${cachedFlags.miss.cached}/${cachedFlags.miss.made}; ` +
        `${pool.length} images uploaded in all`,
    );
    console.log(
      peak
        ? `peak RSS ${peak.peakRssMb} MB (sampled every 100 ms; one process holds the service AND the load generator)`
        : "peak RSS: not measured (remote target)",
    );

    const all = Object.values(statuses);
    const count = (match: (code: string) => boolean): number =>
      all.reduce((n, byCode) => n + Object.entries(byCode).reduce((m, [code, c]) => m + (match(code) ? c : 0), 0), 0);
    const fiveXx = count((c) => c.startsWith("5"));
    const unexpected = count((c) => !/^2\d\d$/.test(c) && !c.startsWith("5"));
    const transportErrors = hitResult.errors + missResult.errors + count((c) => c === "network error");
    const timeouts = hitResult.timeouts + missResult.timeouts;
    const criteria: Criterion[] = [
      { name: "no 5xx", pass: fiveXx === 0, detail: `${fiveXx}` },
      {
        name: "no errors or timeouts",
        pass: transportErrors === 0 && timeouts === 0,
        detail: `${transportErrors} errors, ${timeouts} timeouts`,
      },
      { name: "no other non-2xx (every request is valid)", pass: unexpected === 0, detail: `${unexpected}` },
      {
        name: "some of every kind ran",
        pass: Object.values(kinds).every((k) => k.requests > 0),
        detail: Object.values(kinds)
          .map((k) => k.requests)
          .join("/"),
      },
      {
        name: `thumbnail hits p99 < ${P99_BOUND_MS.hit} ms`,
        pass: kinds["thumbnail hits"].p99 < P99_BOUND_MS.hit,
        detail: `${kinds["thumbnail hits"].p99} ms`,
      },
      {
        name: `thumbnail misses p99 < ${P99_BOUND_MS.miss} ms`,
        pass: kinds["thumbnail misses"].p99 < P99_BOUND_MS.miss,
        detail: `${kinds["thumbnail misses"].p99} ms`,
      },
      {
        name: `GET /uploadURL p99 < ${P99_BOUND_MS.uploadUrl} ms`,
        pass: ticketLatency.p99 < P99_BOUND_MS.uploadUrl,
        detail: `${ticketLatency.p99} ms`,
      },
      {
        name: `upload POST p99 < ${P99_BOUND_MS.uploadPost} ms`,
        pass: postLatency.p99 < P99_BOUND_MS.uploadPost,
        detail: `${postLatency.p99} ms`,
      },
    ];
    const pass = verdict("load", criteria);
    const file = await writeResults("load", {
      target: { appUrl: target.appUrl, inProcess: target.inProcess },
      seconds: SECONDS,
      connections: CONNECTIONS,
      uploadWorkers: UPLOAD_WORKERS,
      kinds,
      statuses,
      cachedFlags,
      imagesUploaded: pool.length,
      peakRssMb: peak?.peakRssMb,
      criteria,
      pass,
    });
    console.log(`results: ${file}`);
  } finally {
    await target.close();
  }
}

runCommand("load", main);
