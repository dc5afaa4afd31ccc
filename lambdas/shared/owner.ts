/**
 * Whose upload is it. With a JWT authorizer on the API, every upload key carries a segment derived
 * from the caller's token: the same user always gets the same segment, and nobody can name another
 * user's segment because it never comes from the request, only from claims API Gateway verified.
 * The segment is a hash, so keys, execution inputs and logs never carry the raw `sub` (an email or
 * an account id at some issuers).
 */
import { createHash } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ValidationError } from "./errors";
import type { JwtClaims } from "./types";
import { assertValid } from "./validation";
import * as validators from "./validators";

/** 128 bits of SHA-256: no two users collide, and the segment stays short in keys and URLs. */
const OWNER_HEX_DIGITS = 32;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `sub` is only unique per issuer (OIDC Core 2), so the issuer is hashed with it; NUL cannot occur
 * in an issuer URL, so no (iss, sub) pair can be made to hash like another.
 */
export function ownerSegment(claims: JwtClaims): string {
  return createHash("sha256")
    .update(`${claims.iss}\u0000${claims.sub}`, "utf8")
    .digest("hex")
    .slice(0, OWNER_HEX_DIGITS);
}

/**
 * The claims of payload 2.0's `requestContext.authorizer.jwt.claims`, when the route has a JWT
 * authorizer; undefined on an open route. Read by shape, since the event type knows no authorizer.
 */
export function jwtClaimsOf(event: APIGatewayProxyEventV2): unknown {
  const context: unknown = event.requestContext;
  if (!isRecord(context) || !isRecord(context["authorizer"])) return undefined;
  const jwt = context["authorizer"]["jwt"];
  return isRecord(jwt) ? jwt["claims"] : undefined;
}

/**
 * The caller's owner segment, or undefined when the API is open (no authorizer, no claims: keys stay
 * as they were). Claims without an issuer or a subject cannot name a user, so they are refused
 * rather than sharing one anonymous segment.
 */
export function ownerOf(claims: unknown): string | undefined {
  if (claims === undefined) return undefined;
  const valid = assertValid(
    validators.jwtClaims,
    claims,
    (d) =>
      new ValidationError(
        `The access token does not name a user (${d}); sign in with a token that has 'iss' and 'sub'.`,
      ),
  );
  return ownerSegment(valid);
}
