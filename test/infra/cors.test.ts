/** Cross-origin rules: the page's origin and the configured ones, and only what the page needs. */
import { strict as assert } from "node:assert";
import { allowedOrigins, apiCors, sourceBucketCorsRules } from "../../infra/cors";

describe("infra: CORS", () => {
  it("allows the site's origin first, then the configured ones, once each", () => {
    assert.deepEqual(
      allowedOrigins("https://d1.cloudfront.net", ["http://localhost:3000", "https://d1.cloudfront.net"]),
      ["https://d1.cloudfront.net", "http://localhost:3000"],
    );
  });

  it("the source bucket accepts the browser's POST from those origins only, with no extra headers", () => {
    assert.deepEqual(sourceBucketCorsRules(["https://a.example", "https://b.example"]), [
      {
        id: "browser-upload",
        allowedMethods: ["POST"],
        allowedOrigins: ["https://a.example", "https://b.example"],
        maxAgeSeconds: 600,
      },
    ]);
  });

  it("the API allows GET with an Authorization header from those origins and exposes the request id and Retry-After", () => {
    const cors = apiCors(["https://a.example"]);
    assert.deepEqual(cors.allowOrigins, ["https://a.example"]);
    assert.deepEqual(cors.allowMethods, ["GET", "OPTIONS"]);
    assert.deepEqual(cors.allowHeaders, ["authorization"]);
    assert.deepEqual(cors.exposeHeaders, ["x-request-id", "retry-after"]);
    assert.equal(cors.allowCredentials, false);
    assert.ok(cors.maxAge > 0);
  });
});
