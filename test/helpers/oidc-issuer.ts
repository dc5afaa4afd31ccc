/**
 * A real OpenID issuer for tests, on a loopback port: discovery and JWKS served by node:http, keys
 * made and tokens signed by jose. It signs whatever a test asks for, including what no honest issuer
 * would (alg none, HMAC with the public key, a key it does not publish), so refusals can be tested.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWTPayload } from "jose" with { "resolution-mode": "import" };
import { loadJose } from "../../local/auth/jose";

/** Key ids in the issuer's JWKS. */
export const RSA_KID = "rsa-2026";
export const EC_KID = "ec-2026";

export type SigningKey = "rsa" | "unpublished-rsa" | "ec";

export interface SignOptions {
  alg?: string;
  /** The header's kid; null leaves it out. Default: the key's own id. */
  kid?: string | null;
  key?: SigningKey;
}

export interface TestIssuer {
  /** The issuer URL, e.g. http://127.0.0.1:41234 (tokens' `iss`). */
  url: string;
  /** Requests the issuer answered, by path: shows discovery and JWKS were really fetched. */
  hits: Map<string, number>;
  /** Claims a well-behaved token carries for `sub`, valid for an hour from now. */
  claims(sub: string, overrides?: JWTPayload): JWTPayload;
  sign(payload: JWTPayload, options?: SignOptions): Promise<string>;
  /** HS256 over the RSA public key's PEM: the algorithm-confusion attack on naive verifiers. */
  signHmacWithPublicKey(payload: JWTPayload): Promise<string>;
  /** `alg: none`, no signature, with the RSA key's kid. */
  unsigned(payload: JWTPayload): string;
  close(): Promise<void>;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function startTestIssuer(audience: string): Promise<TestIssuer> {
  const jose = await loadJose();
  const [rsa, unpublished, ec] = await Promise.all([
    jose.generateKeyPair("RS256", { extractable: true }),
    jose.generateKeyPair("RS256", { extractable: true }),
    jose.generateKeyPair("ES256", { extractable: true }),
  ]);
  const jwks = {
    keys: [
      { ...(await jose.exportJWK(rsa.publicKey)), kid: RSA_KID, alg: "RS256", use: "sig" },
      { ...(await jose.exportJWK(ec.publicKey)), kid: EC_KID, alg: "ES256", use: "sig" },
    ],
  };
  const publicPem = await jose.exportSPKI(rsa.publicKey);
  const hits = new Map<string, number>();
  let url = "";

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://issuer").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body =
      path === "/.well-known/openid-configuration"
        ? { issuer: url, jwks_uri: `${url}/keys` }
        : path === "/keys"
          ? jwks
          : undefined;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { message: "Not Found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const privateKeys = { rsa: rsa.privateKey, "unpublished-rsa": unpublished.privateKey, ec: ec.privateKey };
  const defaultAlg: Record<SigningKey, string> = { rsa: "RS256", "unpublished-rsa": "RS256", ec: "ES256" };
  const defaultKid: Record<SigningKey, string> = { rsa: RSA_KID, "unpublished-rsa": RSA_KID, ec: EC_KID };

  return {
    url,
    hits,
    claims(sub, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      return { iss: url, aud: audience, sub, iat: now, exp: now + 3600, jti: randomUUID(), ...overrides };
    },
    async sign(payload, options = {}) {
      const key = options.key ?? "rsa";
      const kid = options.kid === undefined ? defaultKid[key] : options.kid;
      return new jose.SignJWT(payload)
        .setProtectedHeader({ alg: options.alg ?? defaultAlg[key], typ: "JWT", ...(kid === null ? {} : { kid }) })
        .sign(privateKeys[key]);
    },
    async signHmacWithPublicKey(payload) {
      return new jose.SignJWT(payload)
        .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: RSA_KID })
        .sign(new TextEncoder().encode(publicPem));
    },
    unsigned(payload) {
      return `${b64url({ alg: "none", typ: "JWT", kid: RSA_KID })}.${b64url(payload)}.`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
