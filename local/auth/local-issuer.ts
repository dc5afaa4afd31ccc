/**
 * JWT_ISSUER=local: a small OpenID issuer inside the local app, so `npm start` users can try sign-in
 * without an account anywhere. It serves what the verifier (and API Gateway, for a real issuer)
 * reads, under LOCAL_ISSUER_PATH, and a dev sign-in that mints RS256 tokens for any user name. No
 * passwords: it is a development stand-in, bound to loopback like the rest of local mode.
 *
 *   GET  <issuer>/.well-known/openid-configuration   discovery: issuer, jwks_uri
 *   GET  <issuer>/jwks.json                          the public key (kid, RS256, use sig)
 *   POST <issuer>/sign-in  {"user": "alice"}         {token, tokenType, user, expiresAt}
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { loadJose } from "./jose";
import { LOCAL_ISSUER_PATH } from "./settings";

/** An hour, like Cognito's default access token. */
export const LOCAL_TOKEN_SECONDS = 3600;
/** User names become `sub`; kept to characters that read well in logs and the page. */
export const LOCAL_USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const MAX_BODY_BYTES = 1024;

export interface SignedIn {
  token: string;
  tokenType: "Bearer";
  user: string;
  expiresAt: string;
}

export interface LocalIssuer {
  /** `<app url>/_local/issuer`: the tokens' `iss` and the verifier's issuer. */
  issuer: string;
  signIn(user: string): Promise<SignedIn>;
  /** Answers the issuer's endpoints; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

export class SignInRefused extends Error {
  override readonly name = "SignInRefused";
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SignInRefused(`the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function userOf(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SignInRefused('send JSON: {"user": "<name>"}');
  }
  const user = typeof parsed === "object" && parsed !== null && "user" in parsed ? parsed.user : undefined;
  if (typeof user !== "string" || !LOCAL_USER_NAME.test(user)) {
    throw new SignInRefused("user must be 1 to 64 letters, digits or . _ @ -");
  }
  return user;
}

export async function createLocalIssuer(appUrl: string, audience: string): Promise<LocalIssuer> {
  const jose = await loadJose();
  const issuer = `${appUrl}${LOCAL_ISSUER_PATH}`;
  // A fresh key per start: tokens from an earlier run stop working, as after a key rotation.
  const { privateKey, publicKey } = await jose.generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const discovery = {
    issuer,
    jwks_uri: `${issuer}/jwks.json`,
    response_types_supported: ["token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };

  async function signIn(user: string): Promise<SignedIn> {
    if (!LOCAL_USER_NAME.test(user)) throw new SignInRefused("user must be 1 to 64 letters, digits or . _ @ -");
    const now = Math.floor(Date.now() / 1000);
    const token = await new jose.SignJWT({ preferred_username: user })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(user)
      .setIssuedAt(now)
      .setExpirationTime(now + LOCAL_TOKEN_SECONDS)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, tokenType: "Bearer", user, expiresAt: new Date((now + LOCAL_TOKEN_SECONDS) * 1000).toISOString() };
  }

  return {
    issuer,
    signIn,
    async handle(req, res, url) {
      if (!url.pathname.startsWith(`${LOCAL_ISSUER_PATH}/`)) return false;
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}): true => {
        send(res, status, body, headers);
        return true;
      };
      const path = url.pathname.slice(LOCAL_ISSUER_PATH.length);
      const method = req.method ?? "GET";
      if (path === "/.well-known/openid-configuration" && method === "GET") return answer(200, discovery);
      if (path === "/jwks.json" && method === "GET") return answer(200, { keys: [jwk] });
      if (path !== "/sign-in") return answer(404, { message: "Not Found" });
      if (method !== "POST") return answer(405, { message: 'POST {"user": "<name>"}' }, { allow: "POST" });
      try {
        return answer(200, await signIn(userOf(await readBody(req))));
      } catch (err) {
        if (err instanceof SignInRefused) return answer(400, { message: err.message });
        throw err;
      }
    },
  };
}
