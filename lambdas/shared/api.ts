/**
 * The API Gateway HTTP API (payload 2.0) adapter shared by the public endpoints: request id, CORS,
 * query parsing, the caller's owner segment and the contract's error body. Handlers supply only a
 * plain function.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { InternalError, ServiceError, ServiceUnavailable, ValidationError } from "./errors";
import { log } from "./log";
import { jwtClaimsOf, ownerOf } from "./owner";
import type { ServiceConfig } from "./types";

export interface ApiRequest {
  requestId: string;
  query: Record<string, string>;
  /** The caller's key segment from the JWT authorizer's claims (owner.ts); undefined on an open API. */
  owner: string | undefined;
  /** Milliseconds left before the function's own timeout. */
  remainingMs: () => number;
}

export interface ApiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type ApiFunction = (request: ApiRequest) => Promise<ApiResult>;

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The request id doubles as the Step Functions execution name. Executions are only logged to
 * CloudWatch when their name is made of [0-9A-Za-z_-], and API Gateway's ids are base64
 * (`JAbcd1XYIAMEb2Q=`), so they are mapped the base64url way: + -> -, / -> _, no padding.
 */
export function requestIdOf(event: APIGatewayProxyEventV2): string {
  const raw = event.requestContext?.requestId ?? "";
  const safe = raw
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")
    .replace(/[^A-Za-z0-9_-]/g, "-")
    .slice(0, 80);
  return safe.length > 0 ? safe : `local-${Date.now().toString(36)}`;
}

/**
 * Parses the raw query string itself: API Gateway joins repeated parameters with commas in
 * `queryStringParameters`, which would hide `?res=1x1&res=2x2`. Repeats are refused outright.
 */
export function parseQuery(event: APIGatewayProxyEventV2): Record<string, string> {
  const params = new URLSearchParams(event.rawQueryString ?? "");
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.prototype.hasOwnProperty.call(query, name)) {
      throw new ValidationError(`parameter '${name}' is repeated; give it once`);
    }
    query[name] = value;
  }
  return query;
}

export function corsHeaders(origin: string | undefined, allowedOrigins: readonly string[]): Record<string, string> {
  if (allowedOrigins.includes("*")) return { "access-control-allow-origin": "*" };
  if (origin && allowedOrigins.includes(origin)) {
    return { "access-control-allow-origin": origin, vary: "Origin" };
  }
  return {};
}

export function errorBody(err: ServiceError, requestId: string): unknown {
  return { error: { code: err.name, message: err.publicMessage }, requestId };
}

function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  return new InternalError("an API function failed outside the contract", { cause: err });
}

/** Wraps a plain function into an HTTP API handler with the contract's headers and error mapping. */
export function apiHandler(getConfig: () => ServiceConfig, fn: ApiFunction) {
  return async (
    event: APIGatewayProxyEventV2,
    context?: { getRemainingTimeInMillis?: () => number },
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = Date.now();
    const requestId = requestIdOf(event);
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-request-id": requestId,
    };
    let result: ApiResult;
    let failure: ServiceError | undefined;
    try {
      // Config problems surface here, inside the error mapping, as a 500 with a safe message.
      Object.assign(headers, corsHeaders(event.headers?.["origin"], getConfig().allowedOrigins));
      const query = parseQuery(event);
      const owner = ownerOf(jwtClaimsOf(event));
      const remainingMs = () => context?.getRemainingTimeInMillis?.() ?? 29_000 - (Date.now() - started);
      result = await fn({ requestId, query, owner, remainingMs });
    } catch (err) {
      const serviceError = toServiceError(err);
      failure = serviceError;
      result = { status: serviceError.status, body: errorBody(serviceError, requestId) };
      if (serviceError instanceof ServiceUnavailable) {
        result.headers = { "retry-after": String(RETRY_AFTER_SECONDS) };
      }
    }
    log(result.status >= 500 ? "error" : "info", "request", {
      requestId,
      apiRequestId: event.requestContext?.requestId,
      path: event.rawPath,
      status: result.status,
      code: failure?.name,
      ms: Date.now() - started,
      // Our faults are logged whole (internal message, cause, stack): the body only had the public text.
      ...(failure && failure.status >= 500 ? { err: failure } : {}),
    });
    return { statusCode: result.status, headers: { ...headers, ...result.headers }, body: JSON.stringify(result.body) };
  };
}
