/**
 * Access control through the local app, against a real issuer on a loopback port (discovery, JWKS,
 * RSA keys; test/helpers/oidc-issuer.ts): the checks API Gateway's JWT authorizer makes, each refusal
 * answered as it answers (401 {"message":"Unauthorized"}, CORS headers, no function run, no
 * execution), and each user's uploads their own (another user's imageName is a 404).
 */
import { strict as assert } from "node:assert";
import { ownerSegment } from "../../../lambdas/shared/owner";
import type { ExecutionLog } from "../../../local/stepfunctions";
import { jpeg } from "../../fixtures/images";
import { getJson, uploadImage, uploadTicket } from "../../helpers/http";
import { RSA_KID, startTestIssuer, type TestIssuer } from "../../helpers/oidc-issuer";
import { startTestService, type TestService } from "../../helpers/service";

const ORIGIN = "https://app.example.com";
const AUDIENCES = ["thumbs-web", "thumbs-cli"];
const NEVER_UPLOADED = "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.jpg";

describe("access control: JWT checks as API Gateway makes them (local app, real issuer)", function () {
  this.timeout(60_000);
  let issuer: TestIssuer;
  let svc: TestService;
  let executionsStarted = 0;
  let photo: Buffer;

  before(async () => {
    issuer = await startTestIssuer("thumbs-web");
    svc = await startTestService({
      overrides: { ALLOWED_ORIGINS: ORIGIN },
      auth: { issuer: issuer.url, audiences: AUDIENCES },
    });
    // Every execution the thumbnail function starts reaches the local engine through this method.
    const start = svc.sfn.startSyncExecution.bind(svc.sfn);
    svc.sfn.startSyncExecution = (input) => {
      executionsStarted++;
      return start(input);
    };
    photo = await jpeg(800, 600);
  });
  after(async () => {
    await svc?.stop();
    await issuer?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = (path: string, headers: Record<string, string> = {}) =>
    getJson(`${svc.appUrl}${path}`, { headers: { origin: ORIGIN, ...headers } });
  const thumbnailPath = (imageName: string) => `/thumbnail?imageName=${imageName}&res=256x256`;

  async function tokenFor(sub: string, claims = {}): Promise<string> {
    return issuer.sign(issuer.claims(sub, claims));
  }

  function executionOf(requestId: string | null): ExecutionLog | undefined {
    return requestId ? svc.sfn.getExecutionLog(requestId) : undefined;
  }

  describe("accepted", () => {
    it("a valid token: /uploadURL signs a key under the caller's segment, derived from the token's iss and sub", async () => {
      const r = await get("/uploadURL?contentType=image/png", bearer(await tokenFor("alice")));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const ticket = await uploadTicket(svc.appUrl, "image/png", { headers: bearer(await tokenFor("alice")) });
      assert.equal(
        ticket.fields["key"],
        `uploads/${ownerSegment({ iss: issuer.url, sub: "alice" })}/${ticket.imageName}`,
      );
      assert.match(ticket.imageName, /^[0-9a-f-]{36}\.png$/, "the imageName the client sees keeps its form");
      assert.ok(
        (issuer.hits.get("/.well-known/openid-configuration") ?? 0) >= 1,
        "discovery was fetched from the issuer",
      );
      assert.ok((issuer.hits.get("/keys") ?? 0) >= 1, "the keys came from its jwks_uri");
    });

    for (const [what, header] of [
      ["the token bare, without `Bearer `", (t: string) => t],
      ["`bearer ` in lower case", (t: string) => `bearer ${t}`],
    ] as const) {
      it(`${what}`, async () => {
        const r = await get("/uploadURL", { authorization: header(await tokenFor("alice")) });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      });
    }

    it("client_id when the token has no aud (Cognito access tokens), and aud as a list", async () => {
      const clientId = await issuer.sign(issuer.claims("alice", { aud: undefined, client_id: "thumbs-cli" }));
      assert.equal((await get("/uploadURL", bearer(clientId))).status, 200);
      const list = await issuer.sign(issuer.claims("alice", { aud: ["other-api", "thumbs-web"] }));
      assert.equal((await get("/uploadURL", bearer(list))).status, 200);
    });

    it("/config needs no token (the page reads it before anyone signs in)", async () => {
      const r = await get("/config");
      assert.equal(r.status, 200);
      assert.ok(r.headers.get("x-request-id"));
    });

    it("a preflight allows the Authorization header for an allowed origin", async () => {
      const res = await fetch(`${svc.appUrl}/uploadURL`, {
        method: "OPTIONS",
        headers: {
          origin: ORIGIN,
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
      assert.match(res.headers.get("access-control-allow-headers") ?? "", /(^|,)\s*authorization\s*(,|$)/i);
    });
  });

  describe('refused: 401 {"message":"Unauthorized"} with CORS headers, no function run, no execution', () => {
    const now = () => Math.floor(Date.now() / 1000);
    /** What is sent, and the reason www-authenticate gives for refusing it (none when no token was given). */
    const cases: [string, () => Promise<string | undefined>, string | undefined][] = [
      ["no Authorization header", async () => undefined, undefined],
      ["an empty Authorization header", async () => "", undefined],
      ["`Bearer ` and nothing after it", async () => "Bearer ", undefined],
      ["a malformed token", async () => "Bearer not-a-jwt", "not a JWT"],
      ["three parts that are not JSON", async () => "Bearer abc.def.ghi", "not a JWT"],
      ["another scheme (Basic)", async () => "Basic YWxpY2U6c2VjcmV0", "not a JWT"],
      [
        "an expired token (exp in the past)",
        async () => `Bearer ${await tokenFor("alice", { iat: now() - 7200, exp: now() - 60 })}`,
        "'exp' claim timestamp check failed",
      ],
      [
        "a token not yet valid (nbf in the future)",
        async () => `Bearer ${await tokenFor("alice", { nbf: now() + 600 })}`,
        "'nbf' claim timestamp check failed",
      ],
      [
        "a token issued in the future (iat)",
        async () => `Bearer ${await tokenFor("alice", { iat: now() + 600 })}`,
        "'iat' claim is in the future",
      ],
      [
        "a token that never expires (no exp)",
        async () => `Bearer ${await tokenFor("alice", { exp: undefined })}`,
        "missing required 'exp' claim",
      ],
      [
        "a wrong issuer",
        async () => `Bearer ${await tokenFor("alice", { iss: "https://accounts.evil.example" })}`,
        "unexpected 'iss' claim value",
      ],
      [
        "the issuer with a trailing slash (iss must match exactly)",
        async () => `Bearer ${await tokenFor("alice", { iss: `${issuer.url}/` })}`,
        "unexpected 'iss' claim value",
      ],
      [
        "a wrong audience",
        async () => `Bearer ${await tokenFor("alice", { aud: "someone-else" })}`,
        "not have a valid audience",
      ],
      [
        "a wrong aud though client_id is right (aud is what counts when present)",
        async () => `Bearer ${await tokenFor("alice", { aud: "someone-else", client_id: "thumbs-web" })}`,
        "not have a valid audience",
      ],
      [
        "no aud and a client_id not in the list",
        async () => `Bearer ${await tokenFor("alice", { aud: undefined, client_id: "someone-else" })}`,
        "not have a valid audience",
      ],
      [
        "a bad signature (a key the issuer does not publish, under its kid)",
        async () => `Bearer ${await issuer.sign(issuer.claims("alice"), { key: "unpublished-rsa" })}`,
        "signature verification failed",
      ],
      [
        "a bad signature (the payload changed after signing)",
        async () => {
          const [head, , signature] = (await tokenFor("mallory")).split(".");
          const forged = Buffer.from(JSON.stringify(issuer.claims("alice"))).toString("base64url");
          return `Bearer ${head}.${forged}.${signature}`;
        },
        "signature verification failed",
      ],
      [
        "alg none (no signature)",
        async () => `Bearer ${issuer.unsigned(issuer.claims("alice"))}`,
        "signed with 'none'",
      ],
      [
        "HS256 signed with the issuer's RSA public key",
        async () => `Bearer ${await issuer.signHmacWithPublicKey(issuer.claims("alice"))}`,
        "signed with 'HS256'",
      ],
      [
        "ES256, signed with the issuer's own published EC key",
        async () => `Bearer ${await issuer.sign(issuer.claims("alice"), { key: "ec" })}`,
        "signed with 'ES256'",
      ],
      [
        "a kid that is not in the JWKS",
        async () => `Bearer ${await issuer.sign(issuer.claims("alice"), { kid: "rotated-away" })}`,
        "no applicable key found in the JSON Web Key Set",
      ],
      [
        "no kid at all",
        async () => `Bearer ${await issuer.sign(issuer.claims("alice"), { kid: null })}`,
        "names no key (kid)",
      ],
    ];

    for (const [what, header, reason] of cases) {
      it(what, async () => {
        const value = await header();
        const headers: Record<string, string> = value === undefined ? {} : { authorization: value };
        const before = executionsStarted;
        for (const path of ["/uploadURL?contentType=image/jpeg", thumbnailPath(NEVER_UPLOADED)]) {
          const r = await get(path, headers);
          assert.equal(r.status, 401, `${path}: ${JSON.stringify(r.body)}`);
          assert.deepEqual(r.body, { message: "Unauthorized" }, "API Gateway's body, nothing more");
          assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN, "a page can read the refusal");
          assert.equal(r.headers.get("access-control-expose-headers"), "x-request-id, retry-after");
          const challenge = r.headers.get("www-authenticate") ?? "";
          if (reason === undefined) assert.equal(challenge, "Bearer", "nothing to check: a bare challenge");
          else
            assert.ok(
              challenge.startsWith('Bearer scope="" error="invalid_token"') && challenge.includes(reason),
              `refused for its own reason: ${challenge}`,
            );
          assert.equal(r.headers.get("x-request-id"), null, "no function answered");
        }
        assert.equal(executionsStarted, before, "no execution was started");
      });
    }

    it("says why in www-authenticate, as API Gateway does", async () => {
      const r = await get("/uploadURL", bearer(await tokenFor("alice", { aud: "someone-else" })));
      assert.match(
        r.headers.get("www-authenticate") ?? "",
        /error="invalid_token" error_description="the token does not have a valid audience"/,
      );
      assert.equal((await get("/uploadURL")).headers.get("www-authenticate"), "Bearer");
    });

    it("the issuer's RSA key is what makes the difference (the same claims, signed right, pass)", async () => {
      const r = await get("/uploadURL", bearer(await issuer.sign(issuer.claims("alice"), { kid: RSA_KID })));
      assert.equal(r.status, 200);
    });
  });

  describe("each user's uploads are their own", () => {
    it("alice makes a thumbnail of her upload; bob asking for it gets 404 ImageNotFound, as for a missing upload", async () => {
      const alice = bearer(await tokenFor("alice"));
      const bob = bearer(await tokenFor("bob"));
      const imageName = await uploadImage(svc.appUrl, photo, "image/jpeg", { headers: alice });

      const mine = await get(thumbnailPath(imageName), alice);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));

      const before = executionsStarted;
      const theirs = await get(thumbnailPath(imageName), bob);
      const missing = await get(thumbnailPath(NEVER_UPLOADED), bob);
      for (const r of [theirs, missing]) {
        assert.equal(r.status, 404, JSON.stringify(r.body));
        const body = r.body as { error: { code: string; message: string } };
        assert.equal(body.error.code, "ImageNotFound");
        assert.equal(
          executionOf(r.headers.get("x-request-id"))?.states.at(-1)?.state,
          "ImageNotFound",
          "the workflow looked; S3 said no such key",
        );
      }
      assert.equal(executionsStarted, before + 2, "bob's token was good: the workflow ran and found nothing of his");
      const messageOf = (r: typeof theirs) => (r.body as { error: { message: string } }).error.message;
      assert.equal(
        messageOf(theirs).replace(imageName, "<name>"),
        messageOf(missing).replace(NEVER_UPLOADED, "<name>"),
        "no existence leak",
      );

      const again = await get(thumbnailPath(imageName), alice);
      assert.equal(again.status, 200, "still alice's");
    });

    it("an upload made while the API was open (uploads/<uuid>) is nobody's: 404 for a signed-in user", async () => {
      const { imageName } = await svc.upload(photo);
      const r = await get(thumbnailPath(imageName), bearer(await tokenFor("alice")));
      assert.equal(r.status, 404, JSON.stringify(r.body));
    });

    it("a valid token that names no user (no sub) passes the authorizer, as on AWS, and the function refuses it: 400", async () => {
      const r = await get("/uploadURL", bearer(await tokenFor("alice", { sub: undefined })));
      assert.equal(r.status, 400, JSON.stringify(r.body));
      const body = r.body as { error: { code: string; message: string } };
      assert.equal(body.error.code, "ValidationError");
      assert.match(body.error.message, /does not name a user/);
    });
  });
});
