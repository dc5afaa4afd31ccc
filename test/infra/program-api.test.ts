/** The HTTP API as declared: three routes to their functions, CORS, the 30 s budget, throttling, access logs. */
import { strict as assert } from "node:assert";
import { ACCOUNT, REGION } from "./support/mocks";
import { PREFIX, at, json, loadProgram, ofType, one, text, type ProgramRun } from "./support/program";

const ROUTES = { "GET /uploadURL": "presign", "GET /config": "config", "GET /thumbnail": "thumbnail" } as const;

describe("infra program: HTTP API", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  before(async () => {
    run = await loadProgram();
  });

  it("is an HTTP API named per stack whose URL is a stack output", () => {
    const api = one(run.resources, "aws:apigatewayv2/api:Api", "api").inputs;
    assert.equal(api["protocolType"], "HTTP");
    assert.equal(api["name"], `${PREFIX}-api`);
    assert.equal(run.outputs["apiUrl"], `https://a1b2c3.execute-api.${REGION}.amazonaws.com`);
  });

  it("answers CORS for the site and the configured origins, allowing Authorization and exposing x-request-id (preflights and errors by API Gateway)", () => {
    const cors = at(one(run.resources, "aws:apigatewayv2/api:Api", "api").inputs, "corsConfiguration");
    assert.deepEqual(cors, {
      allowOrigins: [text(run.outputs["siteUrl"]), "http://localhost:5173"],
      allowMethods: ["GET", "OPTIONS"],
      allowHeaders: ["authorization"],
      exposeHeaders: ["x-request-id", "retry-after"],
      maxAge: 600,
      allowCredentials: false,
    });
  });

  for (const [routeKey, fn] of Object.entries(ROUTES)) {
    it(`${routeKey} -> ${fn}, proxy integration with the 30 s maximum`, () => {
      const route = one(run.resources, "aws:apigatewayv2/route:Route", `api-${fn}`).inputs;
      assert.equal(route["routeKey"], routeKey);
      assert.equal(route["apiId"], "a1b2c3");
      assert.equal(route["target"], `integrations/api-${fn}-id`);
      const integration = one(run.resources, "aws:apigatewayv2/integration:Integration", `api-${fn}`).inputs;
      assert.deepEqual(
        [
          integration["integrationType"],
          integration["integrationMethod"],
          integration["payloadFormatVersion"],
          integration["timeoutMilliseconds"],
        ],
        ["AWS_PROXY", "POST", "2.0", 30000],
      );
      assert.equal(integration["integrationUri"], `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-${fn}`);
    });

    it(`${routeKey}: only this route of this API may invoke ${fn}`, () => {
      const permission = one(run.resources, "aws:lambda/permission:Permission", `api-${fn}-invoke`).inputs;
      assert.equal(permission["action"], "lambda:InvokeFunction");
      assert.equal(permission["principal"], "apigateway.amazonaws.com");
      assert.equal(permission["function"], `${PREFIX}-${fn}`);
      assert.equal(
        permission["sourceArn"],
        `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3/*/${routeKey.replace(" ", "")}`,
      );
    });
  }

  it("has exactly these routes", () => {
    assert.deepEqual(
      ofType(run.resources, "aws:apigatewayv2/route:Route")
        .map((r) => r.inputs["routeKey"])
        .sort(),
      Object.keys(ROUTES).sort(),
    );
  });

  it("the $default stage deploys itself, throttles as configured and logs each request with its requestId", () => {
    const stage = one(run.resources, "aws:apigatewayv2/stage:Stage", "api-stage").inputs;
    assert.equal(stage["name"], "$default");
    assert.equal(stage["autoDeploy"], true);
    assert.deepEqual(stage["defaultRouteSettings"], { throttlingRateLimit: 40, throttlingBurstLimit: 80 });
    const group = one(run.resources, "aws:cloudwatch/logGroup:LogGroup", "api-access-logs").inputs;
    assert.equal(group["retentionInDays"], 30);
    assert.equal(
      at(stage, "accessLogSettings", "destinationArn"),
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${text(group["name"])}`,
    );
    assert.equal(at(json(at(stage, "accessLogSettings", "format")), "requestId"), "$context.requestId");
    assert.equal(run.outputs["apiAccessLogGroup"], group["name"]);
  });
});
