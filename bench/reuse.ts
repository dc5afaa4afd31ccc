/** Connections opened during a run of warm cache misses, per server (see sockets.ts). */
import type { BenchInput } from "./inputs";
import type { BenchService } from "./service";
import { SocketCounter, portOf } from "./sockets";

export interface ReuseResult {
  requests: number;
  /** New connections accepted per server during the requests. */
  newConnections: Record<string, number>;
  total: number;
}

export async function measureReuse(
  bench: BenchService,
  input: BenchInput,
  requests: number,
  res: string,
  format: string,
): Promise<ReuseResult> {
  const names: string[] = [];
  for (let i = 0; i <= requests; i++) names.push(await bench.freshCopy(input));
  const [warm, ...timed] = names;
  if (warm) await bench.thumbnail(warm, res, format);
  const counter = new SocketCounter();
  counter.start();
  try {
    for (const name of timed) await bench.thumbnail(name, res, format);
  } finally {
    counter.stop();
  }
  const { service } = bench;
  const newConnections = counter.counts({
    "app (GET /thumbnail)": portOf(service.appUrl),
    "Step Functions": portOf(service.sfnEndpoint),
    "S3 gate": portOf(service.s3Endpoint),
  });
  return { requests, newConnections, total: Object.values(newConnections).reduce((t, n) => t + n, 0) };
}
