/**
 * The verified token as API Gateway hands it to the function: payload 2.0's
 * `requestContext.authorizer.jwt`, with every claim a string (numbers like `exp` too) and the
 * `scope` claim split into `scopes`.
 */
import type { APIGatewayEventRequestContextJWTAuthorizer } from "aws-lambda";

/**
 * API Gateway passes claims as strings: numbers and booleans as their text, lists as `[a b]` (as seen
 * in its events, e.g. Cognito's `cognito:groups`). Its rendering of nested objects is not documented;
 * JSON is used for them here. Nothing of ours reads more than `iss` and `sub`.
 */
function claimText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(claimText).join(" ")}]`;
  return JSON.stringify(value);
}

export function authorizerContext(payload: Record<string, unknown>): APIGatewayEventRequestContextJWTAuthorizer {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value !== undefined && value !== null) claims[name] = claimText(value);
  }
  const scope = payload["scope"];
  const scopes = typeof scope === "string" && scope.trim() !== "" ? scope.trim().split(/\s+/) : null;
  return { principalId: "", integrationLatency: 0, jwt: { claims, scopes } };
}
