/**
 * JWT_ISSUER=local: the dev issuer inside the app. Its discovery document and JWKS are real (the
 * tokens it mints verify against them with jose alone), its sign-in mints RS256 tokens for a user
 * name, and the app's authorizer checks those tokens exactly as it checks any issuer's.
 */
import { strict as assert } from "node:assert";
import { ownerSegment } from "../../lambdas/shared/owner";
import { loadJose } from "../../local/auth/jose";
import { LOCAL_TOKEN_SECONDS } from "../../local/auth/local-issuer";
import { LOCAL_ISSUER_DEFAULT_AUDIENCE } from "../../local/auth/settings";
import { getJson, uploadTicket } from "../helpers/http";
import { startTestService, type TestService } from "../helpers/service";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

describe("local mode: JWT_ISSUER=local (dev issuer in the app)", function () {
  this.timeout(30_000);
  let svc: TestService;
  let issuer: string;

  before(async () => {
    svc = await startTestService({ auth: { issuer: "local", audiences: [LOCAL_ISSUER_DEFAULT_AUDIENCE] } });
    issuer = `${svc.appUrl}/_local/issuer`;
  });
  after(async () => svc?.stop());

  const signIn = (body: string, method = "POST") =>
    getJson(`${issuer}/sign-in`, { method, body: method === "POST" ? body : null });

  async function tokenOf(user: string): Promise<string> {
    const r = await signIn(JSON.stringify({ user }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(isRecord(r.body) && typeof r.body["token"] === "string");
    return r.body["token"];
  }

  it("publishes discovery and a JWKS holding one public RSA signing key", async () => {
    const discovery = await getJson(`${issuer}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
    assert.ok(isRecord(discovery.body));
    assert.equal(discovery.body["issuer"], issuer);
    assert.equal(discovery.body["jwks_uri"], `${issuer}/jwks.json`);
    const jwks = await getJson(`${issuer}/jwks.json`);
    assert.ok(isRecord(jwks.body) && Array.isArray(jwks.body["keys"]) && jwks.body["keys"].length === 1);
    const [key] = jwks.body["keys"];
    assert.ok(isRecord(key));
    assert.deepEqual([key["kty"], key["alg"], key["use"], typeof key["kid"]], ["RSA", "RS256", "sig", "string"]);
    for (const part of ["d", "p", "q", "dp", "dq", "qi"]) assert.equal(key[part], undefined, `no private part ${part}`);
  });

  it("signs in a user name: an RS256 token for the app's audience, valid an hour, that jose verifies with the JWKS alone", async () => {
    const r = await signIn(JSON.stringify({ user: "alice" }));
    assert.equal(r.status, 200);
    assert.ok(isRecord(r.body) && typeof r.body["token"] === "string");
    assert.equal(r.body["user"], "alice");
    assert.equal(r.body["tokenType"], "Bearer");
    const jose = await loadJose();
    const jwks = await getJson(`${issuer}/jwks.json`);
    assert.ok(isRecord(jwks.body) && Array.isArray(jwks.body["keys"]));
    const { payload, protectedHeader } = await jose.jwtVerify(
      r.body["token"],
      jose.createLocalJWKSet({ keys: jwks.body["keys"] }),
      {
        issuer,
        audience: LOCAL_ISSUER_DEFAULT_AUDIENCE,
        algorithms: ["RS256"],
      },
    );
    assert.equal(protectedHeader.alg, "RS256");
    assert.equal(payload.sub, "alice");
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), LOCAL_TOKEN_SECONDS);
    assert.equal(r.body["expiresAt"], new Date((payload.exp ?? 0) * 1000).toISOString());
  });

  it("its tokens pass the app's authorizer, and each user gets a segment of their own", async () => {
    const alice = await uploadTicket(svc.appUrl, "image/jpeg", {
      headers: { authorization: `Bearer ${await tokenOf("alice")}` },
    });
    const bob = await uploadTicket(svc.appUrl, "image/jpeg", {
      headers: { authorization: `Bearer ${await tokenOf("bob")}` },
    });
    assert.equal(alice.fields["key"], `uploads/${ownerSegment({ iss: issuer, sub: "alice" })}/${alice.imageName}`);
    assert.equal(bob.fields["key"], `uploads/${ownerSegment({ iss: issuer, sub: "bob" })}/${bob.imageName}`);
    assert.equal((await getJson(`${svc.appUrl}/uploadURL`)).status, 401, "without a token");
  });

  it("refuses what is not a user name, a body that is not JSON, a huge body, and GET", async () => {
    for (const user of ["", "a b", "x".repeat(65), "<script>", 42]) {
      const r = await signIn(JSON.stringify({ user }));
      assert.equal(r.status, 400, JSON.stringify(user));
      assert.ok(isRecord(r.body) && typeof r.body["message"] === "string");
    }
    assert.equal((await signIn("user=alice")).status, 400);
    assert.equal((await signIn(JSON.stringify({ user: "alice", pad: "x".repeat(5000) }))).status, 400);
    const get = await signIn("", "GET");
    assert.equal(get.status, 405);
  });

  it("tells the page where the dev sign-in is (runtime-config.json)", async () => {
    const r = await getJson(`${svc.appUrl}/runtime-config.json`);
    assert.deepEqual(r.body, { apiBaseUrl: "", auth: { devSignInUrl: "/_local/issuer/sign-in" } });
  });
});

describe("local mode without JWT_ISSUER: open, no issuer", function () {
  this.timeout(30_000);
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(async () => svc?.stop());

  it("serves no issuer endpoints, tells the page nothing about sign-in, and signs uploads for anyone", async () => {
    assert.equal((await getJson(`${svc.appUrl}/_local/issuer/.well-known/openid-configuration`)).status, 404);
    assert.equal(
      (await getJson(`${svc.appUrl}/_local/issuer/sign-in`, { method: "POST", body: '{"user":"alice"}' })).status,
      404,
    );
    assert.deepEqual((await getJson(`${svc.appUrl}/runtime-config.json`)).body, { apiBaseUrl: "" });
    const ticket = await uploadTicket(svc.appUrl);
    assert.equal(ticket.fields["key"], `uploads/${ticket.imageName}`, "keys as before");
  });
});
