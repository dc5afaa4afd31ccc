/**
 * Cold-start child: a new process starts the local service on a data dir that already holds the
 * uploads (prepared by cold.ts), and its very first GET /thumbnail is timed, then warm cache misses
 * on the other uploads and one cache hit. The client is node:http, which the service has loaded
 * anyway, so the client's own first-use cost (fetch loads undici lazily) is not counted.
 */
import { request } from "node:http";
import { startLocalService } from "../local/service";
import { childArgument, isRecord, reportResult } from "./child-process";
import { isColdArgs, type ColdResult } from "./cold";
import { summarize } from "./stats";

// Module loading is over when the first statement runs (imports are hoisted): this is process start to loaded.
const loadedAt = performance.now();

function get(url: string): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

async function main(): Promise<void> {
  const args = childArgument();
  if (!isColdArgs(args)) throw new Error("child-cold: bad argument");
  const service = await startLocalService({ port: 0, s3Port: 0, sfnPort: 0, dataDir: args.dataDir });
  const readyAt = performance.now();
  try {
    const thumbnail = async (imageName: string, cached: boolean): Promise<number> => {
      const r = await get(`${service.appUrl}/thumbnail?imageName=${imageName}&res=${args.res}&format=${args.format}`);
      const body: unknown = JSON.parse(r.body);
      if (r.status !== 200 || !isRecord(body) || body["cached"] !== cached)
        throw new Error(`unexpected answer ${r.status}: ${r.body}`);
      return r.ms;
    };
    const [first, ...others] = args.imageNames;
    if (first === undefined) throw new Error("no image names");
    const firstMs = await thumbnail(first, false);
    const warm: number[] = [];
    for (const name of others) warm.push(await thumbnail(name, false));
    const hitMs = await thumbnail(first, true);
    const result: ColdResult = {
      loadMs: loadedAt,
      startMs: readyAt - loadedAt,
      firstMs,
      warmMs: summarize(warm).p50,
      hitMs,
    };
    reportResult(result);
  } finally {
    await service.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
