/**
 * Bucket CORS as S3 evaluates it: a preflight is answered from the bucket's rules only (never
 * forwarded); a refused preflight gets 403 and no Access-Control-* header at all; actual responses
 * to a matching origin carry Access-Control-Allow-Origin and expose ETag/Location to scripts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { s3Error } from "./s3-error";

export interface CorsRule {
  /** Exact origins, "*" for any, or one "*" wildcard inside (S3 allows "https://*.example.com"). */
  allowedOrigins: string[];
  allowedMethods: string[];
}

export type CorsRules = ReadonlyMap<string, CorsRule[]>;

const MAX_AGE_SECONDS = 3000;
const EXPOSE_HEADERS = "ETag, Location, x-amz-request-id, x-amz-version-id";

function originMatches(pattern: string, origin: string): boolean {
  if (pattern === "*") return true;
  const star = pattern.indexOf("*");
  if (star === -1) return pattern === origin;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return origin.length >= head.length + tail.length && origin.startsWith(head) && origin.endsWith(tail);
}

export function matchRule(
  rules: CorsRules,
  bucket: string | undefined,
  origin: string,
  method: string,
): CorsRule | undefined {
  if (bucket === undefined) return undefined;
  return rules
    .get(bucket)
    ?.find(
      (r) => r.allowedMethods.includes(method.toUpperCase()) && r.allowedOrigins.some((o) => originMatches(o, origin)),
    );
}

function allowOrigin(res: ServerResponse, rule: CorsRule, origin: string): void {
  if (rule.allowedOrigins.includes("*")) {
    res.setHeader("Access-Control-Allow-Origin", "*");
  } else {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
  }
  res.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
}

/** Adds CORS headers to an actual (non-preflight) response when the origin and method match a rule. */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  rules: CorsRules,
  bucket: string | undefined,
): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const rule = matchRule(rules, bucket, origin, req.method ?? "GET");
  if (!rule) return;
  allowOrigin(res, rule, origin);
  res.setHeader("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

/** Answers an OPTIONS preflight; throws the S3Error S3 gives a refused one. */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  rules: CorsRules,
  bucket: string | undefined,
): void {
  const origin = req.headers.origin;
  if (origin === undefined) throw s3Error("BadRequest", "Insufficient information. Origin request header needed.");
  const method = req.headers["access-control-request-method"];
  if (typeof method !== "string" || method === "") {
    throw s3Error("BadRequest", "Invalid Access-Control-Request-Method: null");
  }
  if (bucket === undefined || !rules.has(bucket)) throw s3Error("CORSResponse", "CORS is not enabled for this bucket.");
  const rule = matchRule(rules, bucket, origin, method);
  if (!rule) {
    throw s3Error(
      "CORSResponse",
      "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  }
  allowOrigin(res, rule, origin);
  res.setHeader("Access-Control-Allow-Methods", rule.allowedMethods.join(", "));
  const requested = req.headers["access-control-request-headers"];
  // AllowedHeaders "*": every header the browser asks for is allowed.
  if (typeof requested === "string" && requested.trim() !== "")
    res.setHeader("Access-Control-Allow-Headers", requested);
  res.setHeader("Access-Control-Max-Age", String(MAX_AGE_SECONDS));
  res.setHeader("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  res.statusCode = 200;
  res.setHeader("Content-Length", "0");
  res.end();
}
