import { strict as assert } from "node:assert";
import { ERROR_CODES } from "../../../lambdas/shared/errors";
import { API_EXPLANATIONS, explain, parseRetryAfter, parseS3Error, type Problem } from "../../../web/src/problems";

const ctx = { acceptedTypes: "JPEG, PNG, WebP, GIF or AVIF", maxUploadBytes: 25 * 1024 * 1024 };

const s3Xml = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`;

describe("web: explaining problems in plain words", () => {
  it("has an explanation for every error code of the contract", () => {
    assert.deepEqual(Object.keys(API_EXPLANATIONS).sort(), [...ERROR_CODES].sort());
  });

  for (const code of ERROR_CODES) {
    it(`${code}: plain words plus the server's message and the request id`, () => {
      const n = explain(
        { kind: "api", step: "thumbnail", status: 400, code, message: "server says so", requestId: "req-1" },
        ctx,
      );
      assert.equal(n.title, API_EXPLANATIONS[code].title);
      assert.ok(n.advice.length > 20);
      assert.equal(n.serverMessage, "server says so");
      assert.equal(n.requestId, "req-1");
      assert.equal(n.code, code);
      assert.equal(n.from, "service");
    });
  }

  it("415 names what the service accepts", () => {
    const n = explain({ kind: "api", step: "thumbnail", status: 415, code: "UnsupportedImageType", message: "m" }, ctx);
    assert.match(n.advice, /aren't JPEG, PNG, WebP, GIF or AVIF/);
  });

  it("503 says when to try again, from Retry-After", () => {
    const n = explain(
      { kind: "api", step: "thumbnail", status: 503, code: "ServiceUnavailable", message: "m", retryAfterSeconds: 5 },
      ctx,
    );
    assert.match(n.advice, /Try again in 5 seconds\./);
    const one = explain(
      { kind: "api", step: "thumbnail", status: 503, code: "ServiceUnavailable", retryAfterSeconds: 1 },
      ctx,
    );
    assert.match(one.advice, /in 1 second\./);
  });

  it("falls back to the status for bodies without a known code (API Gateway's own errors)", () => {
    assert.match(explain({ kind: "api", step: "thumbnail", status: 429 }, ctx).title, /Too many requests/);
    assert.match(explain({ kind: "api", step: "link", status: 502 }, ctx).title, /couldn't get an upload link/);
    assert.match(
      explain({ kind: "api", step: "settings", status: 403, code: "Whatever" }, ctx).title,
      /refused to load/,
    );
  });

  it("explains each of S3's refusals of an upload", () => {
    const storage = (code: string, message: string, status = 400): Problem => ({
      kind: "storage",
      status,
      ...parseS3Error(s3Xml(code, message)),
    });
    assert.match(
      explain(storage("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"), ctx).advice,
      /at most 25\sMB/,
    );
    assert.match(
      explain(storage("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"), ctx).title,
      /empty/,
    );
    assert.equal(
      explain(storage("AccessDenied", "Invalid according to Policy: Policy expired.", 403), ctx).title,
      "The upload link expired",
    );
    assert.equal(
      explain(
        storage(
          "AccessDenied",
          'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/png"]',
          403,
        ),
        ctx,
      ).title,
      "Storage refused the upload",
    );
    const sig = explain(
      storage("SignatureDoesNotMatch", "The request signature we calculated does not match", 403),
      ctx,
    );
    assert.equal(sig.title, "The upload link wasn't accepted");
    assert.equal(sig.requestId, "4442587FB7D0A2F9");
    assert.equal(sig.code, "SignatureDoesNotMatch");
    assert.equal(sig.from, "storage");
    assert.match(explain({ kind: "storage", status: 500 }, ctx).title, /HTTP 500/);
  });

  it("explains no answer at all, and an answer of the wrong shape", () => {
    assert.match(
      explain({ kind: "network", step: "upload" }, ctx).title,
      /Couldn't reach the service to upload the image/,
    );
    const m = explain({ kind: "malformed", step: "thumbnail", status: 200, requestId: "r" }, ctx);
    assert.match(m.title, /unexpected answer/);
    assert.equal(m.requestId, "r");
  });
});

describe("web: parseS3Error", () => {
  it("reads code, message and request id, decoding XML entities", () => {
    assert.deepEqual(
      parseS3Error(s3Xml("AccessDenied", "Policy Condition failed: [&quot;eq&quot;, &quot;$key&quot;] &amp; more")),
      {
        code: "AccessDenied",
        message: 'Policy Condition failed: ["eq", "$key"] & more',
        requestId: "4442587FB7D0A2F9",
      },
    );
  });

  it("returns nothing for a body that is not an S3 error", () => {
    assert.deepEqual(parseS3Error(""), {});
    assert.deepEqual(parseS3Error("<html><body>Bad gateway</body></html>"), {});
  });
});

describe("web: parseRetryAfter", () => {
  it("reads delay-seconds and HTTP dates", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("7", now), 7);
    assert.equal(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now), 30);
    assert.equal(parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter("soon", now), undefined);
  });
});
