/**
 * Each user's uploads are their own: the owner segment comes from the authorizer's claims only, goes
 * into the key /uploadURL signs and into the execution input, and Validate folds it into the source key.
 */
import { strict as assert } from "node:assert";
import { S3Client } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { parseQuery } from "../../lambdas/shared/api";
import { parseConfig } from "../../lambdas/shared/config";
import { ValidationError } from "../../lambdas/shared/errors";
import { sourceKey } from "../../lambdas/shared/keys";
import { jwtClaimsOf, ownerOf, ownerSegment } from "../../lambdas/shared/owner";
import * as validators from "../../lambdas/shared/validators";
import { createHandler as presignHandler } from "../../lambdas/presign/handler";
import { parseThumbnailQuery } from "../../lambdas/thumbnail/thumbnail";
import { validateRequest } from "../../lambdas/validate/validate";

const config = parseConfig({
  SOURCE_BUCKET: "uploads-bucket",
  THUMBNAIL_BUCKET: "thumbs-bucket",
  PUBLIC_BASE_URL: "https://cdn.example.com",
  RESOLUTIONS: "64x64,256x256",
});
const s3 = new S3Client({
  region: "eu-west-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
});
const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example";
const alice = { iss: ISSUER, sub: "alice@example.com" };
const good = "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.jpg";

/** A payload 2.0 event as API Gateway sends it; with claims as its JWT authorizer puts them (all strings). */
function event(rawQueryString: string, claims?: Record<string, string>): APIGatewayProxyEventV2 {
  const base = {
    version: "2.0",
    routeKey: "GET /uploadURL",
    rawPath: "/uploadURL",
    rawQueryString,
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "a1b2c3",
      domainName: "a1b2c3.execute-api.eu-west-1.amazonaws.com",
      domainPrefix: "a1b2c3",
      http: { method: "GET", path: "/uploadURL", protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
      requestId: "JAbcd1XYIAMEb2Q=",
      routeKey: "GET /uploadURL",
      stage: "$default",
      time: "21/Nov/2026:12:00:00 +0000",
      timeEpoch: 1_795_000_000_000,
    },
  };
  if (!claims) return base;
  const withAuthorizer: APIGatewayProxyEventV2WithJWTAuthorizer = {
    ...base,
    requestContext: {
      ...base.requestContext,
      authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: null } },
    },
  };
  return withAuthorizer;
}

describe("owner: each user's uploads are their own", () => {
  it("the segment is 32 hex digits, stable per (issuer, sub), different across users and issuers, and never the sub", () => {
    const a = ownerSegment(alice);
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.equal(ownerSegment({ ...alice }), a, "the same user always gets the same segment");
    assert.notEqual(ownerSegment({ iss: ISSUER, sub: "bob@example.com" }), a);
    assert.notEqual(
      ownerSegment({ iss: "https://issuer.example.com", sub: alice.sub }),
      a,
      "sub is only unique per issuer",
    );
    assert.ok(!a.includes("alice"));
    assert.ok(validators.thumbnailRequest({ requestId: "r", imageName: good, owner: a, res: "64x64", format: "jpeg" }));
  });

  it("reads the claims where payload 2.0 puts them, and none on an open route", () => {
    assert.deepEqual(jwtClaimsOf(event("", { ...alice, exp: "1795000000" })), { ...alice, exp: "1795000000" });
    assert.equal(jwtClaimsOf(event("")), undefined);
    assert.equal(ownerOf(undefined), undefined, "open API: no owner, keys as before");
  });

  it("claims that name no user are refused, not given a shared anonymous segment", () => {
    for (const claims of [{ iss: ISSUER }, { sub: "alice" }, { iss: ISSUER, sub: "" }, "not claims"]) {
      assert.throws(
        () => ownerOf(claims),
        (err: unknown) => err instanceof ValidationError && /does not name a user/.test(err.message),
      );
    }
  });

  it("/uploadURL signs uploads/<owner>/<uuid>.<ext> with a token, uploads/<uuid>.<ext> without; imageName keeps its form", async () => {
    const handler = presignHandler(() => ({ config, s3 }));
    const signed = await handler(event("contentType=image/png", alice));
    assert.equal(signed.statusCode, 200, signed.body);
    const ticket: unknown = JSON.parse(signed.body ?? "");
    assert.ok(typeof ticket === "object" && ticket !== null && "fields" in ticket && "imageName" in ticket);
    const { fields, imageName } = ticket;
    assert.ok(
      typeof imageName === "string" &&
        typeof fields === "object" &&
        fields !== null &&
        "key" in fields &&
        "Policy" in fields,
    );
    assert.match(imageName, /^[0-9a-f-]{36}\.png$/);
    assert.equal(fields.key, `uploads/${ownerSegment(alice)}/${imageName}`);
    const policy: unknown = JSON.parse(Buffer.from(String(fields.Policy), "base64").toString("utf8"));
    assert.ok(
      JSON.stringify(policy).includes(`{"key":"uploads/${ownerSegment(alice)}/${imageName}"}`),
      "the policy pins that exact key",
    );
    assert.ok(!String(fields.key).includes(alice.sub));

    const open = await handler(event("contentType=image/png"));
    const openTicket: unknown = JSON.parse(open.body ?? "");
    assert.ok(
      typeof openTicket === "object" && openTicket !== null && "fields" in openTicket && "imageName" in openTicket,
    );
    assert.ok(typeof openTicket.fields === "object" && openTicket.fields !== null && "key" in openTicket.fields);
    assert.equal(openTicket.fields.key, `uploads/${String(openTicket.imageName)}`);
  });

  it("/thumbnail takes the owner from the claims only: an owner in the query is an unknown parameter", () => {
    const owner = ownerSegment(alice);
    assert.deepEqual(parseThumbnailQuery(parseQuery(event(`imageName=${good}&res=64x64`)), config, "req-1", owner), {
      requestId: "req-1",
      imageName: good,
      owner,
      res: "64x64",
      format: "jpeg",
      fit: "inside",
    });
    assert.throws(
      () => parseThumbnailQuery(parseQuery(event(`imageName=${good}&res=64x64&owner=${owner}`)), config, "req-1"),
      (err: unknown) => err instanceof ValidationError && /unknown parameter 'owner'/.test(err.message),
    );
  });

  it("Validate folds the owner into the source key and passes it no further", () => {
    const owner = ownerSegment(alice);
    const validated = validateRequest(
      { requestId: "r", imageName: good, owner, res: "256x256", format: "webp" },
      config,
    );
    assert.equal(validated.sourceKey, `uploads/${owner}/${good}`);
    assert.equal(sourceKey(good), `uploads/${good}`);
    assert.ok(!("owner" in validated));
    assert.ok(validators.validatedRequest(validated), JSON.stringify(validators.validatedRequest.errors));
  });

  it("the execution input refuses an owner that is not a segment (a raw sub, upper case, a path)", () => {
    for (const owner of [
      "alice@example.com",
      ownerSegment(alice).toUpperCase(),
      `../${ownerSegment(alice)}`,
      ownerSegment(alice).slice(1),
    ]) {
      assert.equal(
        validators.thumbnailRequest({ requestId: "r", imageName: good, owner, res: "64x64", format: "jpeg" }),
        false,
        owner,
      );
    }
  });
});
