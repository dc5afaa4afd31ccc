/**
 * Node HTTP request -> API Gateway HTTP API payload 2.0 event, as AWS builds it for our routes
 * (GET, no body): lower-cased headers, repeated query parameters joined with commas, a request id,
 * and on a route with a JWT authorizer the verified claims in requestContext.authorizer.jwt.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
} from "aws-lambda";

/** API Gateway request ids look like `JAbcd1XYIAMEb2Q=`: base64 of random bytes. */
export const newRequestId = (): string => randomBytes(11).toString("base64").replace(/\//g, "_");

export function toApiEvent(
  req: IncomingMessage,
  url: URL,
  routeKey: string,
  requestId = newRequestId(),
  authorizer?: APIGatewayEventRequestContextJWTAuthorizer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const now = new Date();
  const method = req.method ?? "GET";
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search.length > 1 ? { queryStringParameters } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
  if (!authorizer) return event;
  // The event type knows no authorizer; the JWT-authorizer event is the same with one more field.
  const withAuthorizer: APIGatewayProxyEventV2WithJWTAuthorizer = {
    ...event,
    requestContext: { ...event.requestContext, authorizer },
  };
  return withAuthorizer;
}
