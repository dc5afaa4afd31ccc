/**
 * The local app's CORS is the deployed API's (infra/cors.ts apiCors): a frontend on another origin may
 * send Authorization and read x-request-id and Retry-After, errors included; another origin gets nothing.
 */
import { strict as assert } from "node:assert";
import { apiCors } from "../../infra/cors";
import { getJson } from "../helpers/http";
import { startTestService, type TestService } from "../helpers/service";

const ORIGIN = "https://app.example.com";

describe("local app: CORS as the deployed HTTP API answers it", function () {
  this.timeout(30_000);
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ overrides: { ALLOWED_ORIGINS: ORIGIN } });
  });
  after(async () => svc?.stop());

  it("every answer to an allowed origin exposes x-request-id and retry-after, errors too", async () => {
    for (const path of ["/config", "/uploadURL", "/thumbnail?res=1x1"]) {
      const r = await getJson(`${svc.appUrl}${path}`, { headers: { origin: ORIGIN } });
      assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN, path);
      assert.equal(r.headers.get("access-control-expose-headers"), apiCors([ORIGIN]).exposeHeaders.join(", "), path);
      assert.equal(r.headers.get("vary"), "Origin", path);
      assert.ok(r.headers.get("x-request-id"), path);
    }
  });

  it("another origin gets no CORS headers, so its page cannot read the answer", async () => {
    const r = await getJson(`${svc.appUrl}/config`, { headers: { origin: "https://evil.example" } });
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    assert.equal(r.headers.get("access-control-expose-headers"), null);
  });

  it("a preflight gets the deployed configuration: GET, the Authorization header, 600 s", async () => {
    const res = await fetch(`${svc.appUrl}/thumbnail`, {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    assert.equal(res.status, 204);
    const cors = apiCors([ORIGIN]);
    assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
    assert.equal(res.headers.get("access-control-allow-methods"), cors.allowMethods.join(","));
    assert.equal(res.headers.get("access-control-allow-headers"), "authorization");
    assert.equal(res.headers.get("access-control-max-age"), String(cors.maxAge));
  });
});
