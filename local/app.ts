/**
 * The local app server: the page from the built web/ directory, and the API routes dispatched to the
 * real Lambda handlers as API Gateway HTTP API would (payload 2.0 events, CORS preflight, 404s, and
 * with `auth` its JWT authorizer: local/auth/).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { contentTypeOf as siteContentTypeOf } from "../infra/site-files";
import { newRequestId, toApiEvent } from "./api-event";
import { corsResponseHeaders, preflightHeaders } from "./api-cors";
import { startAuthGate, UNAUTHORIZED_BODY, wwwAuthenticate, type AuthGate } from "./auth/gate";
import type { LocalAuthSettings } from "./auth/settings";

export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: { getRemainingTimeInMillis(): number },
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface AppOptions {
  host?: string;
  port: number;
  /** By route key, e.g. "GET /thumbnail". A getter, because routes are wired after the port is known. */
  routes: () => Record<string, HttpApiHandler>;
  allowedOrigins: () => readonly string[];
  staticDir: () => string | undefined;
  runtimeConfig: unknown;
  executionLog: (name: string) => unknown;
  /** The API function's timeout, for context.getRemainingTimeInMillis(). */
  apiTimeoutMs: number;
  /** JWT checks on the routes the stack guards, as API Gateway's authorizer makes them; none: open. */
  auth?: LocalAuthSettings;
}

export interface App {
  url: string;
  port: number;
  /** The JWT checks in front of the guarded routes, when `auth` was given. */
  auth?: AuthGate;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/** As HTTP API's CORS configuration answers preflights: headers only for an allowed origin. */
function preflight(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  res.writeHead(204, preflightHeaders(req.headers, allowed));
  res.end();
}

async function serveStatic(dir: string, pathname: string, res: ServerResponse): Promise<boolean> {
  const relative = pathname === "/" ? "index.html" : decodeURIComponent(pathname).replace(/^\/+/, "");
  const file = normalize(join(dir, relative));
  if (!file.startsWith(dir + sep)) return false; // traversal
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  res.writeHead(200, {
    // The same types the site bucket serves the page's files with.
    "content-type": siteContentTypeOf(file),
    "content-length": info.size,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  createReadStream(file).pipe(res);
  return true;
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  options: AppOptions,
  auth: AuthGate | undefined,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://local");
  const method = req.method ?? "GET";
  const routeKey = `GET ${url.pathname}`;
  const handler = options.routes()[routeKey];
  if (handler) {
    if (method === "OPTIONS") return preflight(req, res, options.allowedOrigins());
    if (method !== "GET") return sendJson(res, 404, { message: "Not Found" });
    const cors = corsResponseHeaders(req.headers.origin, options.allowedOrigins());
    // Fail closed: with sign-in configured, no route is served open while its checks are starting.
    if (options.auth && !auth) return sendJson(res, 503, { message: "Service Unavailable" }, cors);
    let authorizer: APIGatewayEventRequestContextJWTAuthorizer | undefined;
    if (auth?.guards(routeKey)) {
      // Refused before the function runs, as API Gateway does: no handler, no execution.
      const verdict = await auth.authorize(req.headers.authorization);
      if (!verdict.ok)
        return sendJson(res, 401, UNAUTHORIZED_BODY, { ...cors, "www-authenticate": wwwAuthenticate(verdict) });
      authorizer = verdict.context;
    }
    const started = Date.now();
    const event = toApiEvent(
      req,
      new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`),
      routeKey,
      newRequestId(),
      authorizer,
    );
    const result = await handler(event, {
      getRemainingTimeInMillis: () => options.apiTimeoutMs - (Date.now() - started),
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    Object.assign(headers, cors);
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(result.body ?? "");
    return;
  }
  if (auth && (await auth.handle(req, res, url))) return;
  if (method !== "GET" && method !== "HEAD") return sendJson(res, 404, { message: "Not Found" });
  if (url.pathname === "/runtime-config.json")
    return sendJson(res, 200, options.runtimeConfig, { "cache-control": "no-cache" });
  const execution = /^\/_local\/executions\/([^/]+)$/.exec(url.pathname);
  if (execution?.[1]) {
    const log = options.executionLog(decodeURIComponent(execution[1]));
    return log ? sendJson(res, 200, log) : sendJson(res, 404, { message: "No such execution" });
  }
  const dir = options.staticDir();
  if (dir && (await serveStatic(dir, url.pathname, res))) return;
  sendJson(res, 404, { message: "Not Found" });
}

export async function startApp(options: AppOptions): Promise<App> {
  // Set once listening: the dev issuer's URL is the app's own.
  let auth: AuthGate | undefined;
  const server: Server = createServer((req, res) => {
    route(req, res, options, auth).catch((err: unknown) => {
      console.error("local app: unhandled error", err);
      if (!res.headersSent) sendJson(res, 500, { message: "Internal Server Error" });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  if (options.auth) {
    try {
      auth = await startAuthGate(options.auth, url);
    } catch (err) {
      server.close();
      throw err;
    }
  }
  return {
    url,
    port,
    ...(auth ? { auth } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
