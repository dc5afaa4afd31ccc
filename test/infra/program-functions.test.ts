/** The eight functions as declared: runtime, architecture, size, time, logs, tracing, environment, role. */
import { strict as assert } from "node:assert";
import { FUNCTION_NAMES, type FunctionName } from "../../infra/catalog";
import { functionPolicy } from "../../infra/policies";
import { functionTimeoutSeconds } from "../../infra/timeouts";
import { ACCOUNT, REGION } from "./support/mocks";
import { PREFIX, at, json, loadProgram, ofType, one, text, type ProgramRun } from "./support/program";

/** The timeouts as reviewed; a function added since gets the one its catalog entry and Task give it. */
const EXPECTED_TIMEOUT: Partial<Record<FunctionName, number>> = {
  presign: 5,
  config: 5,
  thumbnail: 29,
  validate: 2,
  fetch: 3,
  resize: 6,
  "store-public": 3,
  "return-url": 2,
};

describe("infra program: functions", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  before(async () => {
    run = await loadProgram();
  });

  it("exactly the eight functions, named per stack", () => {
    const names = ofType(run.resources, "aws:lambda/function:Function").map((f) => f.inputs["name"]);
    assert.deepEqual(names.sort(), FUNCTION_NAMES.map((n) => `${PREFIX}-${n}`).sort());
  });

  for (const name of FUNCTION_NAMES) {
    describe(name, () => {
      const fn = (): Record<string, unknown> => one(run.resources, "aws:lambda/function:Function", name).inputs;

      it("runs the bundle's handler on nodejs22.x, arm64, with X-Ray active tracing", () => {
        const f = fn();
        assert.equal(f["runtime"], "nodejs22.x");
        assert.equal(f["handler"], "index.handler");
        assert.deepEqual(f["architectures"], ["arm64"]);
        assert.deepEqual(f["tracingConfig"], { mode: "Active" });
        assert.equal(at(f, "code", "__pulumiArchive"), true, "code is an archive of the bundle directory");
      });

      it("has its memory and a timeout fitting the budget", () => {
        assert.equal(fn()["memorySize"], name === "resize" ? 3008 : 512);
        assert.equal(fn()["timeout"], EXPECTED_TIMEOUT[name] ?? functionTimeoutSeconds(name));
      });

      it("logs JSON to its own log group, kept for the configured days, with Lambda's start and report records (system INFO)", () => {
        const group = one(run.resources, "aws:cloudwatch/logGroup:LogGroup", `${name}-logs`).inputs;
        assert.equal(group["name"], `/aws/lambda/${PREFIX}-${name}`);
        assert.equal(group["retentionInDays"], 30);
        assert.deepEqual(fn()["loggingConfig"], {
          logFormat: "JSON",
          logGroup: `/aws/lambda/${PREFIX}-${name}`,
          applicationLogLevel: "INFO",
          systemLogLevel: "INFO",
        });
      });

      it("gets the service environment from configToEnv", () => {
        const env = at(fn(), "environment", "variables");
        const expected: Record<string, string> = {
          SOURCE_BUCKET: text(run.outputs["sourceBucketName"]),
          THUMBNAIL_BUCKET: text(run.outputs["thumbnailBucketName"]),
          PUBLIC_BASE_URL: text(run.outputs["thumbnailBaseUrl"]),
          RESOLUTIONS: "64x64,256x256",
          FORMATS: "jpeg,png,webp,avif",
          DEFAULT_FORMAT: "jpeg",
          MAX_UPLOAD_BYTES: String(25 * 1024 * 1024),
          MAX_INPUT_PIXELS: "100000000",
          UPLOAD_CONTENT_TYPES: "image/jpeg,image/png,image/webp,image/gif,image/avif",
          ALLOWED_ORIGINS: `${text(run.outputs["siteUrl"])},http://localhost:5173`,
          UPLOAD_EXPIRY_SECONDS: "300",
          PROCESSING_TIMEOUT_SECONDS: "3",
        };
        if (name === "thumbnail") expected["STATE_MACHINE_ARN"] = text(run.outputs["stateMachineArn"]);
        assert.deepEqual(env, expected);
      });

      it("has its own role, trusted by Lambda only, allowing exactly its policy", () => {
        const role = one(run.resources, "aws:iam/role:Role", `${name}-role`);
        assert.equal(fn()["role"], `arn:aws:iam::${ACCOUNT}:role/${name}-role-r4nd0m`);
        assert.deepEqual(at(json(role.inputs["assumeRolePolicy"]), "Statement", 0, "Principal"), {
          Service: "lambda.amazonaws.com",
        });
        const policy = one(run.resources, "aws:iam/rolePolicy:RolePolicy", `${name}-policy`).inputs;
        assert.equal(policy["role"], `${name}-role-id`);
        assert.deepEqual(
          json(policy["policy"]),
          functionPolicy(name, {
            sourceBucketArn: `arn:aws:s3:::${text(run.outputs["sourceBucketName"])}`,
            thumbnailBucketArn: `arn:aws:s3:::${text(run.outputs["thumbnailBucketName"])}`,
            logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${PREFIX}-${name}`,
            ...(name === "thumbnail" ? { stateMachineArn: text(run.outputs["stateMachineArn"]) } : {}),
          }),
        );
      });
    });
  }

  it("no role is shared and no managed policy is attached", () => {
    const roles = ofType(run.resources, "aws:iam/role:Role");
    assert.equal(roles.length, FUNCTION_NAMES.length + 1, "one per function, one for the state machine");
    assert.equal(ofType(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
    for (const role of roles) assert.equal(role.inputs["managedPolicyArns"], undefined);
  });
});
