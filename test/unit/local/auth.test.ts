/**
 * The pieces of local mode's JWT authorizer that need no issuer: header parsing, audiences, settings, discovery,
 * claims.
 */
import { strict as assert } from "node:assert";
import { authorizerContext } from "../../../local/auth/claims";
import { DiscoveryError, discoveryUrl, parseDiscovery } from "../../../local/auth/discovery";
import { wwwAuthenticate } from "../../../local/auth/gate";
import {
  AuthSettingsError,
  authFromEnv,
  LOCAL_ISSUER_DEFAULT_AUDIENCE,
  pageAuthConfig,
} from "../../../local/auth/settings";
import { audienceMatches, tokenOf } from "../../../local/auth/verifier";

describe("local auth: the parts without an issuer", () => {
  it("takes the token bare or after `Bearer ` (any case), and nothing from an empty header", () => {
    assert.equal(tokenOf("Bearer a.b.c"), "a.b.c");
    assert.equal(tokenOf("bearer   a.b.c "), "a.b.c");
    assert.equal(tokenOf("a.b.c"), "a.b.c");
    for (const empty of [undefined, "", "   ", "Bearer", "Bearer   "])
      assert.equal(tokenOf(empty), undefined, JSON.stringify(empty));
    assert.equal(tokenOf("Basic dXNlcg=="), "Basic dXNlcg==", "another scheme is passed on whole, and fails as a JWT");
  });

  it("matches aud (string or list) when present, client_id only when aud is absent", () => {
    const ours = ["web", "cli"];
    assert.equal(audienceMatches({ aud: "web" }, ours), true);
    assert.equal(audienceMatches({ aud: ["x", "cli"] }, ours), true);
    assert.equal(audienceMatches({ aud: "x", client_id: "web" }, ours), false, "aud decides when present");
    assert.equal(audienceMatches({ client_id: "cli" }, ours), true);
    assert.equal(audienceMatches({ client_id: "x" }, ours), false);
    assert.equal(audienceMatches({}, ours), false);
    assert.equal(audienceMatches({ aud: 7 }, ours), false);
  });

  it("reads JWT_ISSUER/JWT_AUDIENCE: both, neither, or JWT_ISSUER=local with a default audience", () => {
    assert.equal(authFromEnv({}), undefined);
    assert.deepEqual(authFromEnv({ JWT_ISSUER: "https://issuer.example.com", JWT_AUDIENCE: " a, b ,," }), {
      issuer: "https://issuer.example.com",
      audiences: ["a", "b"],
    });
    assert.deepEqual(authFromEnv({ JWT_ISSUER: "local" }), {
      issuer: "local",
      audiences: [LOCAL_ISSUER_DEFAULT_AUDIENCE],
    });
    assert.deepEqual(authFromEnv({ JWT_ISSUER: "local", JWT_AUDIENCE: "mine" }), {
      issuer: "local",
      audiences: ["mine"],
    });
    assert.deepEqual(
      authFromEnv({ JWT_ISSUER: "http://127.0.0.1:8080/realms/dev", JWT_AUDIENCE: "a" })?.issuer,
      "http://127.0.0.1:8080/realms/dev",
    );
    for (const env of [
      { JWT_AUDIENCE: "a" },
      { JWT_ISSUER: "https://issuer.example.com" },
      { JWT_ISSUER: "issuer.example.com", JWT_AUDIENCE: "a" },
      { JWT_ISSUER: "ftp://issuer.example.com", JWT_AUDIENCE: "a" },
      { JWT_ISSUER: "https://issuer.example.com/?q=1", JWT_AUDIENCE: "a" },
    ]) {
      assert.throws(() => authFromEnv(env), AuthSettingsError, JSON.stringify(env));
    }
  });

  it("tells the page that sign-in is required, and where the dev sign-in is with JWT_ISSUER=local", () => {
    assert.deepEqual(pageAuthConfig(undefined), {});
    assert.deepEqual(pageAuthConfig({ issuer: "https://issuer.example.com", audiences: ["a"] }), { auth: {} });
    assert.deepEqual(pageAuthConfig({ issuer: "local", audiences: ["a"] }), {
      auth: { devSignInUrl: "/_local/issuer/sign-in" },
    });
  });

  it("finds discovery under the issuer (a trailing slash dropped) and insists the document names that issuer", () => {
    assert.equal(
      discoveryUrl("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X"),
      "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/.well-known/openid-configuration",
    );
    assert.equal(
      discoveryUrl("https://tenant.auth0.com/"),
      "https://tenant.auth0.com/.well-known/openid-configuration",
    );
    const issuer = "https://issuer.example.com";
    assert.equal(parseDiscovery(issuer, { issuer, jwks_uri: `${issuer}/keys` }).jwksUri.href, `${issuer}/keys`);
    for (const document of [
      "text",
      { issuer: "https://evil.example.com", jwks_uri: `${issuer}/keys` },
      { issuer },
      { issuer, jwks_uri: "not a url" },
      { issuer, jwks_uri: "file:///etc/keys" },
    ]) {
      assert.throws(() => parseDiscovery(issuer, document), DiscoveryError, JSON.stringify(document));
    }
  });

  it("hands claims on as API Gateway does: all strings, lists as [a b], scope split into scopes", () => {
    const context = authorizerContext({
      iss: "https://i",
      sub: "alice",
      exp: 1795000000,
      email_verified: true,
      groups: ["a", "b"],
      scope: "read write",
    });
    assert.deepEqual(context.jwt.claims, {
      iss: "https://i",
      sub: "alice",
      exp: "1795000000",
      email_verified: "true",
      groups: "[a b]",
      scope: "read write",
    });
    assert.deepEqual(context.jwt.scopes, ["read", "write"]);
    assert.equal(authorizerContext({ sub: "x" }).jwt.scopes, null);
  });

  it("says why in www-authenticate, without letting a reason break the header", () => {
    assert.equal(wwwAuthenticate({ ok: false, reason: "no token", tokenGiven: false }), "Bearer");
    assert.equal(
      wwwAuthenticate({ ok: false, reason: 'unexpected "iss"\r\nX: 1', tokenGiven: true }),
      `Bearer scope="" error="invalid_token" error_description="unexpected 'iss' X: 1"`,
    );
  });
});
