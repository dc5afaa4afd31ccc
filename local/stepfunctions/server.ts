/**
 * The HTTP front of the local Step Functions: AWS JSON 1.0 on `POST /` (StartSyncExecution only),
 * plus `GET /executions/<name>` for the state-by-state log (a local addition for ops).
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { SfnApiError } from "./api-errors";
import { CONTENT_TYPE, TARGET_PREFIX, parseStartSyncExecution, serializeError, serializeSyncResult } from "./protocol";
import type { LocalStepFunctions } from "./types";

/** Room for a 256 KiB input even when JSON escaping inflates it; the engine enforces the real quota. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const EXECUTIONS_PATH = "/executions/";

export interface LocalSfnServer {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startLocalSfnServer(opts: {
  host?: string;
  port: number;
  engine: LocalStepFunctions;
}): Promise<LocalSfnServer> {
  const host = opts.host ?? "127.0.0.1";
  const server = createServer((req, res) => void handle(req, res, opts.engine));
  await listen(server, opts.port, host);
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("local Step Functions server has no TCP address");
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  return {
    endpoint: `http://${hostInUrl}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections(); // SDK clients keep connections alive; do not wait for them to time out
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, engine: LocalStepFunctions): Promise<void> {
  res.setHeader("x-amzn-RequestId", randomUUID());
  try {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && path.startsWith(EXECUTIONS_PATH)) {
      const name = decodeName(path.slice(EXECUTIONS_PATH.length));
      const log = engine.getExecutionLog(name);
      if (!log) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${name}'`, 404);
      return send(res, 200, "application/json", log);
    }
    if (req.method !== "POST" || path !== "/") {
      throw new SfnApiError(
        "UnknownOperationException",
        `${req.method ?? "?"} ${path} is not an operation of the local Step Functions`,
        404,
      );
    }
    const target = req.headers["x-amz-target"];
    if (target !== `${TARGET_PREFIX}StartSyncExecution`) {
      throw new SfnApiError(
        "UnknownOperationException",
        `Unsupported operation: ${String(target)} (only StartSyncExecution is emulated)`,
      );
    }
    const request = parseStartSyncExecution(await readBody(req));
    const result = await engine.startSyncExecution(request);
    return send(res, 200, CONTENT_TYPE, serializeSyncResult(result, request.traceHeader));
  } catch (err) {
    const error = err instanceof SfnApiError ? err : internalFailure(err);
    res.setHeader("x-amzn-ErrorType", error.name);
    send(res, error.status, CONTENT_TYPE, serializeError(error));
  }
}

function internalFailure(err: unknown): SfnApiError {
  console.error("local Step Functions: unexpected failure", err);
  return new SfnApiError("InternalFailure", "The local Step Functions failed unexpectedly; see its console.", 500);
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new SfnApiError("InvalidName", `Invalid Name: '${raw}' (malformed percent-encoding)`);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Answer now and discard the rest, so the client still gets the 413.
        reject(new SfnApiError("RequestEntityTooLargeException", `Request body over ${MAX_BODY_BYTES} bytes`, 413));
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
