/**
 * Where the page's token comes from. An app that embeds the page (or serves it next to its own) signs
 * its users in however it does, and hands the page a token through one documented hook:
 *
 *   window.thumbnailAuth = { getToken: () => Promise<string | undefined> };
 *
 * The page asks before each /uploadURL and /thumbnail request (so a refreshed token is picked up)
 * and sends `Authorization: Bearer <token>`. /config is public and gets no token. Without the hook,
 * the local dev sign-in (JWT_ISSUER=local) may supply one. DOM-free: unit-tested in Node.
 */

/** The hook's shape. `getToken` may also answer synchronously. */
export interface ThumbnailAuth {
  getToken(): Promise<string | undefined> | string | undefined;
}

declare global {
  interface Window {
    thumbnailAuth?: unknown;
  }
}

export type TokenSource = () => Promise<string | undefined>;

export const noToken: TokenSource = async () => undefined;

export function isThumbnailAuth(v: unknown): v is ThumbnailAuth {
  return typeof v === "object" && v !== null && "getToken" in v && typeof v.getToken === "function";
}

/** A JWT as the page sends it: the raw token, even if the host's answer already says `Bearer `. */
export function bearerToken(token: unknown): string | undefined {
  if (typeof token !== "string") return undefined;
  const raw = token
    .trim()
    .replace(/^bearer(\s+|$)/i, "")
    .trim();
  return raw === "" ? undefined : raw;
}

/** The headers a request carries for a token: none without one. */
export function authorizationHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/**
 * The host's hook first (read at each request: the host may install it after the page loads), then
 * `fallback` (the dev sign-in). A hook that throws gives no token: the API's 401 then explains.
 */
export function tokenSource(host: () => unknown, fallback: TokenSource = noToken): TokenSource {
  return async () => {
    const hook = host();
    if (!isThumbnailAuth(hook)) return fallback();
    try {
      return bearerToken(await hook.getToken());
    } catch (err) {
      console.error("thumbnailAuth.getToken failed", err);
      return undefined;
    }
  };
}
