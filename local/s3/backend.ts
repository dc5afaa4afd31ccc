/**
 * s3rver, run in-process on an ephemeral port behind the gate, and the keep-alive HTTP client the
 * gate talks to it with. s3rver never sees credentials: the gate authenticates and strips them.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import S3rver from "s3rver";
import { encodeKey } from "./request-target";
import { s3Error } from "./s3-error";
import { dropRequestLogger, storeOf, type FilesystemStore } from "./s3rver-internals";

export interface ObjectHead {
  etag: string;
  lastModified?: Date;
}

export interface BackendRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Readable;
}

export class Backend {
  private constructor(
    private readonly server: S3rver,
    readonly host: string,
    readonly port: number,
    readonly agent: http.Agent,
  ) {}

  static async start(dataDir: string, buckets: string[]): Promise<Backend> {
    const server = new S3rver({
      address: "127.0.0.1",
      port: 0,
      directory: dataDir,
      silent: true,
      // Path-style only: the gate parses bucket and key from the path and must see what s3rver sees.
      vhostBuckets: false,
      configureBuckets: buckets.map((name) => ({ name, configs: [] })),
    });
    dropRequestLogger(server);
    const address = await server.run();
    // keepAlive: every proxied request would otherwise pay a TCP handshake (the benchmark measures this path).
    // timeout < s3rver's 5 s keepAliveTimeout: idle sockets are closed by us first, never reused as the server closes
    // them.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 4000 });
    return new Backend(server, "127.0.0.1", address.port, agent);
  }

  /** s3rver's own storage, read directly by the gate for plain GET/HEAD (direct-read.ts). */
  get store(): FilesystemStore {
    return storeOf(this.server);
  }

  get hostHeader(): string {
    return `${this.host}:${this.port}`;
  }

  /** Sends a request to s3rver; resolves with its response (body unread). */
  request(r: BackendRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: this.host,
        port: this.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, host: this.hostHeader },
        agent: this.agent,
      });
      req.once("response", resolve);
      req.on("error", reject);
      if (r.body)
        pipeline(r.body, req).catch((error: unknown) => req.destroy(error instanceof Error ? error : undefined));
      else req.end();
    });
  }

  /** HEAD of an object: its ETag and Last-Modified, or undefined if there is no such object. */
  async head(bucket: string, key: string): Promise<ObjectHead | undefined> {
    const res = await this.request({ method: "HEAD", path: `/${bucket}/${encodeKey(key)}`, headers: {} });
    res.resume();
    if (res.statusCode === 404) return undefined;
    const etag = res.headers.etag;
    if (res.statusCode !== 200 || etag === undefined) {
      throw s3Error("InternalError", `The local S3 backend answered HEAD with ${res.statusCode ?? "no status"}`);
    }
    return { etag, lastModified: parseHttpDate(res.headers) };
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.server.close();
  }
}

function parseHttpDate(headers: IncomingHttpHeaders): Date | undefined {
  const value = headers["last-modified"];
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
