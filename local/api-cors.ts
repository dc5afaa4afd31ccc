/**
 * The local app's CORS, as the deployed HTTP API's CORS configuration answers (infra/cors.ts apiCors,
 * the same values): API Gateway answers preflights itself and adds the headers to every response of a
 * route, its own 401s included, for an allowed origin only.
 */
import type { IncomingHttpHeaders } from "node:http";
import { apiCors } from "../infra/cors";

function allowedOrigin(origin: string | undefined, allowed: readonly string[]): string | undefined {
  if (origin === undefined) return undefined;
  if (allowed.includes("*")) return "*";
  return allowed.includes(origin) ? origin : undefined;
}

/** On every API response: the origin, and the headers a page on another origin may read. */
export function corsResponseHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  const allow = allowedOrigin(origin, allowed);
  if (allow === undefined) return {};
  const cors = apiCors([...allowed]);
  return {
    "access-control-allow-origin": allow,
    "access-control-expose-headers": cors.exposeHeaders.join(", "),
    ...(allow === "*" ? {} : { vary: "Origin" }),
  };
}

/** A preflight's answer: nothing for an origin that is not allowed, so the browser refuses. */
export function preflightHeaders(headers: IncomingHttpHeaders, allowed: readonly string[]): Record<string, string> {
  const allow = allowedOrigin(headers.origin, allowed);
  if (allow === undefined) return {};
  const cors = apiCors([...allowed]);
  return {
    "access-control-allow-origin": allow,
    "access-control-allow-methods": cors.allowMethods.join(","),
    "access-control-allow-headers": cors.allowHeaders.join(","),
    "access-control-max-age": String(cors.maxAge),
    ...(allow === "*" ? {} : { vary: "Origin" }),
  };
}
