/**
 * The local verifier when the issuer misbehaves: unreachable, or its discovery document naming
 * another issuer. Each is a refusal with its reason (never a throw, never a pass), and a failed
 * discovery is tried again on the next request.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createJwtVerifier } from "../../local/auth/verifier";
import { startTestIssuer, type TestIssuer } from "../helpers/oidc-issuer";

describe("local auth: discovery failures", function () {
  this.timeout(20_000);
  let issuer: TestIssuer;
  let liar: Server;
  let liarUrl: string;
  let down = true;

  before(async () => {
    issuer = await startTestIssuer("web");
    // Names the real issuer in its document, or is "down" (503) until a test brings it up.
    liar = createServer((req, res) => {
      if (down) {
        res.writeHead(503);
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ issuer: liarUrl, jwks_uri: `${issuer.url}/keys` }));
    });
    await new Promise<void>((resolve) => liar.listen(0, "127.0.0.1", resolve));
    liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
  });
  after(async () => {
    await issuer?.close();
    await new Promise<void>((resolve) => liar.close(() => resolve()));
  });

  it("an issuer whose discovery document names another issuer is refused", async () => {
    // Configured with a trailing slash, discovery is found at the same place, but names the issuer without it.
    const verifier = createJwtVerifier({ issuer: `${issuer.url}/`, audiences: ["web"] });
    const token = await issuer.sign(issuer.claims("alice", { iss: `${issuer.url}/` }));
    const verdict = await verifier.verify(`Bearer ${token}`);
    assert.equal(verdict.ok, false);
    assert.match(
      verdict.ok ? "" : verdict.reason,
      /keys are unavailable \(the discovery document names issuer "http:\/\/127\.0\.0\.1:\d+", not/,
    );
  });

  it("an unavailable issuer is a refusal, and discovery is tried again once it is back", async () => {
    const verifier = createJwtVerifier({ issuer: liarUrl, audiences: ["web"] });
    const token = await issuer.sign(issuer.claims("alice", { iss: liarUrl }));
    const first = await verifier.verify(`Bearer ${token}`);
    assert.equal(first.ok, false);
    assert.match(first.ok ? "" : first.reason, /keys are unavailable \(.*HTTP 503\)/);
    down = false;
    const second = await verifier.verify(`Bearer ${token}`);
    assert.equal(second.ok, true, second.ok ? "" : second.reason);
  });
});
