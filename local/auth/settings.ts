/**
 * Local mode's counterpart of the stack's jwtIssuer/jwtAudience: JWT_ISSUER and JWT_AUDIENCE.
 * JWT_ISSUER=local runs the dev issuer inside the app (local-issuer.ts) instead of a real one.
 */

/** Audience of the dev issuer's tokens when JWT_AUDIENCE is not set. */
export const LOCAL_ISSUER_DEFAULT_AUDIENCE = "thumbnail-service-local";

export interface LocalAuthSettings {
  /** The issuer's URL (its tokens' `iss`, exactly), or "local" for the dev issuer inside the app. */
  issuer: string;
  /** A token's `aud` (or `client_id` when it has no `aud`) must be one of these. */
  audiences: string[];
}

export class AuthSettingsError extends Error {
  override readonly name = "AuthSettingsError";
}

/**
 * Local issuers may be plain http on loopback (the tests' issuer, a Keycloak in a container); API
 * Gateway itself needs https, which the stack config enforces.
 */
function isIssuerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === "https:" || url.protocol === "http:") &&
      url.search === "" &&
      url.hash === "" &&
      url.username === ""
    );
  } catch {
    return false;
  }
}

/** None of the two set: an open API, as a stack without jwtIssuer/jwtAudience. */
export function authFromEnv(env: Record<string, string | undefined>): LocalAuthSettings | undefined {
  const issuer = env["JWT_ISSUER"]?.trim() || undefined;
  const audiences = (env["JWT_AUDIENCE"] ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if (issuer === undefined) {
    if (audiences.length > 0)
      throw new AuthSettingsError("JWT_AUDIENCE is set without JWT_ISSUER; set both, or JWT_ISSUER=local");
    return undefined;
  }
  if (issuer === "local")
    return { issuer, audiences: audiences.length > 0 ? audiences : [LOCAL_ISSUER_DEFAULT_AUDIENCE] };
  if (!isIssuerUrl(issuer))
    throw new AuthSettingsError(`JWT_ISSUER must be the issuer's URL or 'local', got '${issuer}'`);
  if (audiences.length === 0)
    throw new AuthSettingsError(
      "JWT_AUDIENCE must list the accepted audiences (comma-separated), e.g. the app client id",
    );
  return { issuer, audiences };
}

/** What the page learns from runtime-config.json: sign-in is required, and where the dev sign-in is. */
export interface PageAuthConfig {
  auth?: { devSignInUrl?: string };
}

export const LOCAL_ISSUER_PATH = "/_local/issuer";
export const DEV_SIGN_IN_PATH = `${LOCAL_ISSUER_PATH}/sign-in`;

export function pageAuthConfig(settings: LocalAuthSettings | undefined): PageAuthConfig {
  if (!settings) return {};
  return { auth: settings.issuer === "local" ? { devSignInUrl: DEV_SIGN_IN_PATH } : {} };
}
