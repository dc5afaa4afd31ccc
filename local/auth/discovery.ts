/**
 * OIDC discovery, as API Gateway does it for a JWT authorizer: the issuer's
 * `/.well-known/openid-configuration`, whose `jwks_uri` names the keys tokens are checked against.
 */

export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";
}

export interface Discovery {
  issuer: string;
  jwksUri: URL;
}

/** Where discovery lives: the issuer with any trailing slash dropped (Auth0's issuers end with one). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks the document's shape: `issuer` must be the configured one (OIDC Discovery 1.0, 4.3). */
export function parseDiscovery(issuer: string, document: unknown): Discovery {
  if (!isRecord(document)) throw new DiscoveryError("the discovery document is not a JSON object");
  if (document["issuer"] !== issuer) {
    throw new DiscoveryError(
      `the discovery document names issuer ${JSON.stringify(document["issuer"])}, not ${JSON.stringify(issuer)}`,
    );
  }
  const jwksUri = document["jwks_uri"];
  if (typeof jwksUri !== "string" || !URL.canParse(jwksUri))
    throw new DiscoveryError("the discovery document has no usable jwks_uri");
  const url = new URL(jwksUri);
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new DiscoveryError(`jwks_uri is not an http(s) URL: ${jwksUri}`);
  return { issuer, jwksUri: url };
}

export async function discover(issuer: string, timeoutMs = 5000): Promise<Discovery> {
  const url = discoveryUrl(issuer);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new DiscoveryError(`could not fetch ${url}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (!res.ok) throw new DiscoveryError(`${url} answered HTTP ${res.status}`);
  let document: unknown;
  try {
    document = await res.json();
  } catch (err) {
    throw new DiscoveryError(`${url} did not answer JSON`, { cause: err });
  }
  return parseDiscovery(issuer, document);
}
