/**
 * What the local app puts in front of its routes when JWT_ISSUER is set: API Gateway's JWT authorizer
 * on the routes the stack guards (infra/catalog.ts AUTHORIZED_ROUTES), plus the dev issuer's
 * endpoints when JWT_ISSUER=local.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AUTHORIZED_ROUTES } from "../../infra/catalog";
import { createLocalIssuer, type LocalIssuer } from "./local-issuer";
import type { LocalAuthSettings } from "./settings";
import { createJwtVerifier, type Verdict } from "./verifier";

export interface AuthGate {
  /** The issuer tokens are checked against (the dev issuer's URL when JWT_ISSUER=local). */
  issuer: string;
  audiences: readonly string[];
  /** Whether a route key ("GET /thumbnail") needs a token. */
  guards(routeKey: string): boolean;
  authorize(authorization: string | undefined): Promise<Verdict>;
  /** Answers the dev issuer's endpoints (JWT_ISSUER=local); false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** The dev issuer, when JWT_ISSUER=local. */
  localIssuer?: LocalIssuer;
}

/** API Gateway's refusal: 401 with this body, before any function runs. */
export const UNAUTHORIZED_BODY = { message: "Unauthorized" } as const;

/**
 * API Gateway says why in `www-authenticate` (its troubleshooting guide shows
 * `Bearer scope="" error="invalid_token" error_description="..."`); the body says nothing more.
 */
export function wwwAuthenticate(verdict: Extract<Verdict, { ok: false }>): string {
  if (!verdict.tokenGiven) return "Bearer";
  const description = verdict.reason.replace(/[\r\n]+/g, " ").replace(/["\\]/g, "'");
  return `Bearer scope="" error="invalid_token" error_description="${description}"`;
}

export async function startAuthGate(settings: LocalAuthSettings, appUrl: string): Promise<AuthGate> {
  const [audience] = settings.audiences;
  const localIssuer =
    settings.issuer === "local" && audience !== undefined ? await createLocalIssuer(appUrl, audience) : undefined;
  const issuer = localIssuer?.issuer ?? settings.issuer;
  const verifier = createJwtVerifier({ issuer, audiences: settings.audiences });
  return {
    issuer,
    audiences: settings.audiences,
    guards: (routeKey) => AUTHORIZED_ROUTES.some((key) => key === routeKey),
    authorize: (authorization) => verifier.verify(authorization),
    handle: async (req, res, url) => (localIssuer ? localIssuer.handle(req, res, url) : false),
    ...(localIssuer ? { localIssuer } : {}),
  };
}
