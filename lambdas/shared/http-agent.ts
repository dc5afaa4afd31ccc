import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/**
 * keepAlive: a warm Lambda reuses its connections instead of paying a TCP/TLS handshake per call.
 * `requestTimeout` is the socket inactivity limit (0 = none), not a total.
 */
export function keepAliveHandler(requestTimeout: number): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: 1000,
    requestTimeout,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  });
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const DEFAULT_REGION = "us-east-1";

/** Memoizes a factory: clients and config are built once per cold start, on first use. */
export function once<T>(make: () => T): () => T {
  let cell: { value: T } | undefined;
  return () => (cell ??= { value: make() }).value;
}
