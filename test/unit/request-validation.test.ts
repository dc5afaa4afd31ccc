/** GET /thumbnail parameters refused before any execution (docs/cases.md, Request validation). */
import { strict as assert } from "node:assert";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { parseQuery, requestIdOf } from "../../lambdas/shared/api";
import { parseConfig } from "../../lambdas/shared/config";
import { ValidationError } from "../../lambdas/shared/errors";
import { parseThumbnailQuery } from "../../lambdas/thumbnail/thumbnail";

const config = parseConfig({
  SOURCE_BUCKET: "uploads-bucket",
  THUMBNAIL_BUCKET: "thumbs-bucket",
  PUBLIC_BASE_URL: "https://cdn.example.com",
  RESOLUTIONS: "64x64,256x256",
});
const good = "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.jpg";
const event = (rawQueryString: string) => ({ rawQueryString }) as APIGatewayProxyEventV2;
const parse = (raw: string) => parseThumbnailQuery(parseQuery(event(raw)), config, "req-1");

function refused(raw: string, message?: RegExp): void {
  assert.throws(
    () => parse(raw),
    (err: unknown) => {
      assert.ok(err instanceof ValidationError, `${raw}: ${String(err)}`);
      if (message) assert.match(err.message, message);
      return true;
    },
    raw,
  );
}

describe("thumbnail API: request validation", () => {
  it("accepts a well-formed request and applies the default format", () => {
    assert.deepEqual(parse(`imageName=${good}&res=256x256`), {
      requestId: "req-1",
      imageName: good,
      res: "256x256",
      format: "jpeg",
      fit: "inside",
    });
  });

  const badNames = [
    "../x",
    "%2e%2e/x",
    "/etc/passwd",
    `uploads/${good}`,
    `thumbnails/${good}`,
    `${good}%00`,
    `${good}%0d%0a`,
    "a".repeat(2048),
    good.toUpperCase(),
    good.replace(".jpg", ".JPG"),
    "0b7e9f2a3c4d4e5f8a9b0c1d2e3f4a5b.jpg",
    "0b7e9f2a-3c4d-1e5f-8a9b-0c1d2e3f4a5b.jpg",
    "",
  ];
  for (const name of badNames) {
    it(`refuses imageName ${JSON.stringify(name.slice(0, 40))}`, () => refused(`imageName=${name}&res=64x64`));
  }

  const badRes = [
    "0x0",
    "-1x5",
    "1e3x1e3",
    "100X100",
    "%20100x100",
    "0100x100",
    "100x",
    "10000x10000",
    "x100",
    "100x100x1",
  ];
  for (const res of badRes) {
    it(`refuses res ${JSON.stringify(res)}`, () => refused(`imageName=${good}&res=${res}`));
  }

  it("refuses a well-formed size outside the allowlist, listing the allowed ones", () => {
    refused(`imageName=${good}&res=100x100`, /allowed: 64x64, 256x256/);
  });

  it("refuses a format outside the allowlist", () => refused(`imageName=${good}&res=64x64&format=gif`, /jpeg/));
  it("refuses a missing parameter", () => refused(`imageName=${good}`, /missing 'res'/));
  it("refuses a repeated parameter", () => refused(`imageName=${good}&res=64x64&res=256x256`, /repeated/));
  it("refuses a repeated imageName", () => refused(`imageName=${good}&imageName=${good}&res=64x64`, /repeated/));
  it("fit: inside by default or when named; cover with attention unless a position is named", () => {
    const base = { requestId: "req-1", imageName: good, res: "64x64", format: "jpeg" };
    assert.deepEqual(parse(`imageName=${good}&res=64x64&fit=inside`), { ...base, fit: "inside" });
    assert.deepEqual(parse(`imageName=${good}&res=64x64&fit=cover`), { ...base, fit: "cover", position: "attention" });
    for (const position of ["attention", "entropy", "center"]) {
      assert.deepEqual(parse(`imageName=${good}&res=64x64&fit=cover&position=${position}`), {
        ...base,
        fit: "cover",
        position,
      });
    }
  });

  for (const fit of ["stretch", "contain", "fill", "COVER", "", "inside%20"]) {
    it(`refuses fit ${JSON.stringify(fit)}, listing inside and cover`, () => {
      refused(`imageName=${good}&res=64x64&fit=${fit}`, /fit must be one of inside, cover/);
    });
  }

  for (const position of ["centre", "top", "smart", "Attention", ""]) {
    it(`refuses position ${JSON.stringify(position)} (with fit=cover), listing attention, entropy and center`, () => {
      refused(
        `imageName=${good}&res=64x64&fit=cover&position=${position}`,
        /position must be one of attention, entropy, center/,
      );
    });
  }

  it("refuses a position without fit=cover, saying it needs it", () => {
    refused(`imageName=${good}&res=64x64&position=entropy`, /^position applies to fit=cover only/);
    refused(`imageName=${good}&res=64x64&fit=inside&position=center`, /^position applies to fit=cover only/);
    // Another problem of the same query is still named.
    refused(
      `imageName=${good}&res=64x64&fit=stretch&position=center`,
      /fit must be one of inside, cover; position applies to fit=cover only/,
    );
  });

  it("refuses a repeated fit or position", () => {
    refused(`imageName=${good}&res=64x64&fit=cover&fit=cover`, /repeated/);
    refused(`imageName=${good}&res=64x64&fit=cover&position=center&position=center`, /repeated/);
  });

  it("refuses unknown parameters instead of letting them select anything", () => {
    refused(`imageName=${good}&res=64x64&bucket=other`, /unknown parameter 'bucket'/);
    refused(`imageName=${good}&res=64x64&key=thumbnails/x`, /unknown parameter 'key'/);
  });
});

describe("thumbnail API: request id as execution name", () => {
  const idOf = (requestId: string) => requestIdOf({ requestContext: { requestId } } as APIGatewayProxyEventV2);

  it("maps API Gateway's base64 ids to the characters Step Functions logs ([0-9A-Za-z_-])", () => {
    assert.equal(idOf("JAbcd1XYIAMEb2Q="), "JAbcd1XYIAMEb2Q");
    assert.equal(idOf("a+b/c=="), "a-b_c");
    assert.match(idOf("x y:z\u0000".repeat(20)), /^[A-Za-z0-9_-]{1,80}$/);
  });
});
