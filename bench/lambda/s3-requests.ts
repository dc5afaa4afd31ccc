/**
 * S3 requests per thumbnail, by price class. What the code makes (read from lambdas/), and what the
 * local S3 gate actually received during one request, counted through Node's built-in
 * `http.server.request.start` diagnostics channel (the gate runs in this process; the functions'
 * processes reach it over HTTP). The cost tables use the counted figures; a difference from the
 * code's is printed as a MISMATCH.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { IncomingMessage } from "node:http";
import type { S3Requests } from "./cost";

export const S3_OPS = ["HEAD", "GET", "PUT", "COPY", "POST", "LIST", "DELETE", "other"] as const;
export type S3Op = (typeof S3_OPS)[number];
export type S3OpCounts = Record<S3Op, number>;

const zero = (): S3OpCounts => ({ HEAD: 0, GET: 0, PUT: 0, COPY: 0, POST: 0, LIST: 0, DELETE: 0, other: 0 });

function counts(partial: Partial<S3OpCounts>): S3OpCounts {
  return { ...zero(), ...partial };
}

/**
 * From the code:
 * - a miss: Fetch HEADs the upload and the published key (lambdas/fetch/fetch.ts,
 *   shared/thumbnail-store.ts), Resize GETs the upload and PUTs the staged thumbnail
 *   (lambdas/resize/resize.ts), StorePublic HEADs the published key and COPYs the staged object to
 *   it (lambdas/store-public/store-public.ts). Validate, ReturnUrl and the API function touch no S3.
 * - a hit: Fetch's two HEADs, the second one finding the thumbnail.
 * - the one-Lambda variant: GET the upload, PUT the thumbnail (bench/variants.ts oneLambda).
 */
export const S3_FROM_CODE = {
  miss: counts({ HEAD: 3, GET: 1, PUT: 1, COPY: 1 }),
  hit: counts({ HEAD: 2 }),
  oneLambda: counts({ GET: 1, PUT: 1 }),
} as const;

/** DELETE is free; everything else not PUT/COPY/POST/LIST is priced as GET. */
export function byPriceClass(c: S3OpCounts): S3Requests {
  return { putCopyPostList: c.PUT + c.COPY + c.POST + c.LIST, getHead: c.GET + c.HEAD + c.other };
}

export const sameCounts = (a: S3OpCounts, b: S3OpCounts): boolean => S3_OPS.every((op) => a[op] === b[op]);

function classify(req: IncomingMessage): S3Op {
  const method = req.method ?? "";
  const query = new URL(req.url ?? "/", "http://s3").searchParams;
  if (method === "PUT") return req.headers["x-amz-copy-source"] !== undefined ? "COPY" : "PUT";
  if (
    method === "GET" &&
    (query.has("list-type") || /^\/[^/]+\/?$/.test(new URL(req.url ?? "/", "http://s3").pathname))
  )
    return "LIST";
  if (method === "HEAD" || method === "GET" || method === "POST" || method === "DELETE") return method;
  return "other";
}

const CHANNEL = "http.server.request.start";

/** Counts the requests a server of this process (the S3 gate, by its port) receives while started. */
export class S3RequestCounter {
  private current = zero();
  private readonly listener = (message: unknown): void => {
    if (typeof message !== "object" || message === null || !("request" in message)) return;
    const req = message.request;
    if (!(req instanceof IncomingMessage) || req.socket.localPort !== this.port) return;
    this.current[classify(req)]++;
  };

  constructor(private readonly port: number) {}

  /** Counts what `fn` makes the gate receive. */
  async during(fn: () => Promise<unknown>): Promise<S3OpCounts> {
    this.current = zero();
    subscribe(CHANNEL, this.listener);
    try {
      await fn();
    } finally {
      unsubscribe(CHANNEL, this.listener);
    }
    return { ...this.current };
  }
}
