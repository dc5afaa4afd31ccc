/**
 * The checks API Gateway's JWT authorizer makes, with jose doing the cryptography: the token bare or
 * after `Bearer `; a `kid` naming a key of the issuer's JWKS (found through OIDC discovery); an RSA
 * signature (never `none`, HMAC or EC); `iss` exactly the issuer; `aud` (or `client_id` when there is
 * no `aud`) one of the audiences; `exp`, `nbf` and `iat` against the clock. Every failure is a
 * refusal with a reason; nothing here throws at the caller.
 */
import type { APIGatewayEventRequestContextJWTAuthorizer } from "aws-lambda";
import { authorizerContext } from "./claims";
import { discover } from "./discovery";
import { loadJose, type Jose } from "./jose";

/**
 * "Currently, only RSA-based algorithms are supported" (API Gateway developer guide). RSASSA-PKCS1
 * v1.5 is what Cognito, Auth0, Okta and Entra ID sign with; RSA-PSS is left out, since whether API
 * Gateway takes it is not documented, and a local check must not be looser than the deployed one.
 */
export const ACCEPTED_ALGORITHMS = ["RS256", "RS384", "RS512"];

export type Verdict =
  | { ok: true; context: APIGatewayEventRequestContextJWTAuthorizer }
  /** `tokenGiven`: false when there was nothing to check (no header, or an empty one). */
  | { ok: false; reason: string; tokenGiven: boolean };

export interface JwtVerifier {
  verify(authorization: string | undefined): Promise<Verdict>;
}

export interface JwtVerifierOptions {
  issuer: string;
  audiences: readonly string[];
}

/** The token from an Authorization header: bare, or after a `Bearer ` prefix (any case). */
export function tokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const text = authorization.trim();
  const bearer = /^bearer(?:\s+(.*))?$/i.exec(text);
  const token = (bearer ? (bearer[1] ?? "") : text).trim();
  return token === "" ? undefined : token;
}

/** API Gateway evaluates `aud` when the token has one, and `client_id` only when it has none. */
export function audienceMatches(payload: Record<string, unknown>, audiences: readonly string[]): boolean {
  const aud = payload["aud"];
  if (aud !== undefined)
    return (Array.isArray(aud) ? aud : [aud]).some((a) => typeof a === "string" && audiences.includes(a));
  const clientId = payload["client_id"];
  return typeof clientId === "string" && audiences.includes(clientId);
}

const refuse = (reason: string, tokenGiven = true): Verdict => ({ ok: false, reason, tokenGiven });

export function createJwtVerifier({ issuer, audiences }: JwtVerifierOptions): JwtVerifier {
  type Keys = ReturnType<Jose["createRemoteJWKSet"]>;
  let keys: Promise<Keys> | undefined;
  // Discovery once, then jose's JWKS cache (refetched for an unknown kid, at most every 30 s). A
  // failed discovery is forgotten, so the next request tries again.
  const keysOf = (jose: Jose): Promise<Keys> => {
    const pending = (keys ??= discover(issuer).then(({ jwksUri }) =>
      jose.createRemoteJWKSet(jwksUri, { timeoutDuration: 5000 }),
    ));
    pending.catch(() => {
      if (keys === pending) keys = undefined;
    });
    return pending;
  };

  return {
    async verify(authorization) {
      const token = tokenOf(authorization);
      if (token === undefined) return refuse("no token", false);
      const jose = await loadJose();
      let header;
      try {
        header = jose.decodeProtectedHeader(token);
      } catch {
        return refuse("the token is not a JWT");
      }
      // jose would pick the only key of a one-key set for a token without kid; API Gateway would not.
      if (typeof header.kid !== "string" || header.kid === "") return refuse("the token's header names no key (kid)");
      if (typeof header.alg !== "string" || !ACCEPTED_ALGORITHMS.includes(header.alg)) {
        return refuse(`the token is signed with ${JSON.stringify(header.alg)}; only RSA signatures are accepted`);
      }
      let jwks: Keys;
      try {
        jwks = await keysOf(jose);
      } catch (err) {
        return refuse(`the issuer's keys are unavailable (${err instanceof Error ? err.message : String(err)})`);
      }
      try {
        const { payload } = await jose.jwtVerify(token, jwks, {
          issuer,
          algorithms: ACCEPTED_ALGORITHMS,
          requiredClaims: ["exp"],
        });
        if (!audienceMatches(payload, audiences)) return refuse("the token does not have a valid audience");
        // jose checks iat only against a maximum age; API Gateway wants it in the past.
        if (payload.iat !== undefined && payload.iat > Math.floor(Date.now() / 1000))
          return refuse('"iat" claim is in the future');
        return { ok: true, context: authorizerContext(payload) };
      } catch (err) {
        return refuse(err instanceof Error ? err.message : String(err));
      }
    },
  };
}
