/**
 * Access control as declared: with jwtIssuer/jwtAudience (the test stack sets them) a JWT authorizer
 * guards /uploadURL and /thumbnail while /config stays public; without them (an Api built on its own,
 * below the program's resources) every route is open and `pulumi up` warns. CORS is the same both ways.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Api, OPEN_API_WARNING } from "../../infra/api";
import { perFunction } from "../../infra/catalog";
import type { FunctionSettings } from "../../infra/service-function";
import { ACCOUNT, REGION, recorded, settled, type RecordedResource } from "./support/mocks";
import { PREFIX, TEST_CONFIG, at, loadProgram, loggedWarnings, ofType, one, type ProgramRun } from "./support/program";

const GUARDED = { "GET /uploadURL": "presign", "GET /thumbnail": "thumbnail" } as const;
const CORS = {
  allowMethods: ["GET", "OPTIONS"],
  allowHeaders: ["authorization"],
  exposeHeaders: ["x-request-id", "retry-after"],
  maxAge: 600,
  allowCredentials: false,
};

/** A parent of its own, so the second Api's children get URNs of their own. */
class OpenStack extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:infra:OpenStack", name);
  }
}

describe("infra program: access control (JWT authorizer)", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  before(async () => {
    run = await loadProgram();
  });

  it("has one JWT authorizer reading the Authorization header, with the stack's issuer and audiences", () => {
    const authorizers = ofType(run.resources, "aws:apigatewayv2/authorizer:Authorizer");
    assert.equal(authorizers.length, 1);
    const authorizer = one(run.resources, "aws:apigatewayv2/authorizer:Authorizer", "api-jwt").inputs;
    assert.equal(authorizer["apiId"], "a1b2c3");
    assert.equal(authorizer["name"], `${PREFIX}-api-jwt`);
    assert.equal(authorizer["authorizerType"], "JWT");
    assert.deepEqual(authorizer["identitySources"], ["$request.header.Authorization"]);
    assert.deepEqual(authorizer["jwtConfiguration"], {
      issuer: TEST_CONFIG.jwtIssuer,
      audiences: ["app-client-1", "app-client-2"],
    });
  });

  for (const [routeKey, fn] of Object.entries(GUARDED)) {
    it(`${routeKey} needs a token: authorizationType JWT with that authorizer`, () => {
      const route = one(run.resources, "aws:apigatewayv2/route:Route", `api-${fn}`).inputs;
      assert.equal(route["routeKey"], routeKey);
      assert.equal(route["authorizationType"], "JWT");
      assert.equal(route["authorizerId"], "api-jwt-id");
    });
  }

  it("GET /config stays public (the page needs it before sign-in)", () => {
    const route = one(run.resources, "aws:apigatewayv2/route:Route", "api-config").inputs;
    assert.equal(route["routeKey"], "GET /config");
    assert.equal(route["authorizationType"], "NONE");
    assert.equal(route["authorizerId"], undefined);
  });

  it("CORS allows the Authorization header and exposes x-request-id and retry-after", () => {
    const cors = at(one(run.resources, "aws:apigatewayv2/api:Api", "api").inputs, "corsConfiguration");
    assert.deepEqual(at(cors, "allowHeaders"), CORS.allowHeaders);
    assert.deepEqual(at(cors, "exposeHeaders"), CORS.exposeHeaders);
  });

  describe("without jwtIssuer/jwtAudience", () => {
    let open: RecordedResource[];
    let warnings: string[];
    let bundleDir: string;

    before(async () => {
      await loadProgram(); // settled first, so everything recorded from here on is this Api's
      bundleDir = mkdtempSync(path.join(tmpdir(), "open-api-bundle-"));
      const bundle = Promise.resolve(bundleDir);
      const settings: FunctionSettings = {
        prefix: "open",
        architecture: "arm64",
        memoryMb: 256,
        resizeMemoryMb: 3008,
        logRetentionDays: 7,
        bundles: perFunction(() => bundle),
        environment: {},
        sourceBucketArn: "arn:aws:s3:::open-source",
        thumbnailBucketArn: "arn:aws:s3:::open-thumbnails",
      };
      const start = recorded.length;
      // support/program.ts catches pulumi.log.warn for the whole infra suite: take what this Api adds.
      const warnedBefore = loggedWarnings.length;
      try {
        new Api(
          "open-api",
          {
            settings,
            allowedOrigins: ["https://site.example"],
            stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:open`,
            throttle: { rateLimit: 10, burstLimit: 20 },
          },
          { parent: new OpenStack("open") },
        );
        await settled();
      } finally {
        warnings = loggedWarnings.slice(warnedBefore);
      }
      // Out of the shared record, so the program's tests see the program alone.
      open = recorded.splice(start);
    });

    after(() => rmSync(bundleDir, { recursive: true, force: true }));

    it("has no authorizer and every route is open", () => {
      assert.deepEqual(ofType(open, "aws:apigatewayv2/authorizer:Authorizer"), []);
      const routes = ofType(open, "aws:apigatewayv2/route:Route");
      assert.deepEqual(routes.map((r) => r.inputs["routeKey"]).sort(), [
        "GET /config",
        "GET /thumbnail",
        "GET /uploadURL",
      ]);
      for (const route of routes) {
        assert.equal(route.inputs["authorizationType"], "NONE", String(route.inputs["routeKey"]));
        assert.equal(route.inputs["authorizerId"], undefined);
      }
    });

    it("warns at `pulumi up` that the API is open", () => {
      assert.ok(
        warnings.some((w) => w.includes(OPEN_API_WARNING)),
        `warnings: ${JSON.stringify(warnings)}`,
      );
      assert.match(OPEN_API_WARNING, /jwtIssuer/);
    });

    it("CORS is the same: Authorization allowed (a frontend that always sends its token still works), x-request-id exposed", () => {
      const cors = at(one(open, "aws:apigatewayv2/api:Api", "open-api").inputs, "corsConfiguration");
      assert.deepEqual(cors, { allowOrigins: ["https://site.example"], ...CORS });
    });
  });
});
