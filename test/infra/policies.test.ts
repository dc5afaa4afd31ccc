/**
 * Least privilege, checked on the documents themselves: each function's role allows exactly the
 * actions on exactly the resources docs/architecture.md's layout gives it, and nothing else.
 */
import { strict as assert } from "node:assert";
import { FUNCTION_NAMES, grantsOf, type FunctionName } from "../../infra/catalog";
import {
  assumeRolePolicy,
  bucketPolicy,
  cloudFrontRead,
  functionPolicy,
  functionStatements,
  publicRead,
  stateMachinePolicy,
  type PolicyStatement,
} from "../../infra/policies";

const SRC = "arn:aws:s3:::src-bucket";
const THUMBS = "arn:aws:s3:::thumbs-bucket";
const LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/thumbs-dev-x";
const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:thumbs-dev-thumbnail";
const resources = { sourceBucketArn: SRC, thumbnailBucketArn: THUMBS, logGroupArn: LOGS, stateMachineArn: SM };

/** action -> sorted resources, plus conditions, for comparing whole grants at once. */
function grants(statements: PolicyStatement[]): Record<string, { resources: string[]; condition?: unknown }> {
  const out: Record<string, { resources: string[]; condition?: unknown }> = {};
  for (const s of statements) {
    assert.equal(s.Effect, "Allow");
    for (const action of s.Action) {
      assert.equal(out[action], undefined, `${action} granted twice`);
      out[action] = { resources: [...s.Resource].sort(), ...(s.Condition ? { condition: s.Condition } : {}) };
    }
  }
  return out;
}

/**
 * The grants each function was reviewed with. A function added since is held to the rules every
 * function is (no deletes, no other prefix, its own logs) until its grants are pinned here too.
 */
const EXPECTED: Partial<Record<FunctionName, Record<string, { resources: string[]; condition?: unknown }>>> = {
  presign: { "s3:PutObject": { resources: [`${SRC}/uploads/*`] } },
  config: {},
  validate: {},
  "return-url": {},
  thumbnail: { "states:StartSyncExecution": { resources: [SM] } },
  fetch: {
    "s3:GetObject": { resources: [`${SRC}/uploads/*`, `${THUMBS}/thumbnails/*`] },
  },
  resize: {
    "s3:GetObject": { resources: [`${SRC}/uploads/*`] },
    "s3:PutObject": { resources: [`${THUMBS}/staging/*`] },
  },
  "store-public": {
    "s3:GetObject": { resources: [`${THUMBS}/staging/*`, `${THUMBS}/thumbnails/*`] },
    "s3:PutObject": { resources: [`${THUMBS}/thumbnails/*`] },
  },
};

/** ListBucket grants, per bucket: the prefixes it is limited to. */
const EXPECTED_LISTING: Partial<Record<FunctionName, Record<string, string[]>>> = {
  presign: {},
  config: {},
  validate: {},
  "return-url": {},
  thumbnail: {},
  fetch: { [SRC]: ["uploads/*"], [THUMBS]: ["thumbnails/*"] },
  resize: { [SRC]: ["uploads/*"] },
  "store-public": { [THUMBS]: ["staging/*", "thumbnails/*"] },
};

describe("infra: IAM policy of each function", () => {
  for (const name of FUNCTION_NAMES) {
    const expected = EXPECTED[name];
    const expectedListing = EXPECTED_LISTING[name];
    if (expected !== undefined && expectedListing !== undefined)
      it(`${name}: exactly its actions on exactly its resources`, () => {
        const statements = functionStatements(name, resources);
        const listing = statements.filter((s) => s.Action.includes("s3:ListBucket"));
        const other = statements.filter((s) => !s.Action.includes("s3:ListBucket"));
        assert.deepEqual(grants(other), expected);
        const byBucket: Record<string, string[]> = {};
        for (const s of listing) {
          assert.deepEqual(s.Action, ["s3:ListBucket"]);
          assert.equal(s.Resource.length, 1);
          const bucket = s.Resource[0] ?? "";
          const prefixes = s.Condition?.["StringLike"]?.["s3:prefix"];
          assert.ok(Array.isArray(prefixes), `${name}: ListBucket on ${bucket} must be limited by s3:prefix`);
          byBucket[bucket] = [...prefixes].sort();
        }
        assert.deepEqual(byBucket, expectedListing);
      });

    it(`${name}: writes its own logs and traces, nothing more`, () => {
      const doc = functionPolicy(name, resources);
      assert.equal(doc.Version, "2012-10-17");
      const [logs, traces, ...rest] = doc.Statement;
      assert.deepEqual(logs?.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
      assert.deepEqual(logs?.Resource, [`${LOGS}:*`]);
      assert.deepEqual(traces?.Action, ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);
      assert.deepEqual(rest, functionStatements(name, resources));
      const actions = doc.Statement.flatMap((s) => s.Action);
      assert.ok(!actions.some((a) => a.includes("*")), "no wildcard actions");
      assert.ok(!actions.some((a) => a.startsWith("kms:")), "SSE-S3 needs no KMS permission");
      assert.ok(!actions.includes("logs:CreateLogGroup"), "the program creates the log group");
    });
  }

  it("a function that reads a prefix may list it, so a missing key answers 404 rather than 403", () => {
    for (const name of FUNCTION_NAMES) {
      const grants = grantsOf(name);
      for (const grant of grants) {
        if (grant.does !== "read") continue;
        for (const { bucket, prefix } of grant.on) {
          const listed = grants.some((g) => g.does === "list" && g.bucket === bucket && g.prefixes.includes(prefix));
          assert.ok(listed, `${name} reads ${bucket}/${prefix} but may not list it`);
        }
      }
    }
  });

  it("no function may delete, list everything, or touch another prefix", () => {
    for (const name of FUNCTION_NAMES) {
      for (const s of functionStatements(name, resources)) {
        for (const r of s.Resource) {
          if (r.startsWith("arn:aws:s3"))
            assert.match(r, /^(arn:aws:s3:::(src|thumbs)-bucket)(\/(uploads|staging|thumbnails)\/\*)?$/);
        }
        assert.ok(!s.Action.some((a) => /Delete|PutBucket|PutObjectAcl/.test(a)), `${name}: ${s.Action.join(",")}`);
      }
    }
  });

  it("the thumbnail function's policy cannot be made without the state machine", () => {
    assert.throws(() =>
      functionStatements("thumbnail", { sourceBucketArn: SRC, thumbnailBucketArn: THUMBS, logGroupArn: LOGS }),
    );
  });

  it("trust policies name only the service and carry no Resource (IAM refuses one)", () => {
    for (const service of ["lambda.amazonaws.com", "states.amazonaws.com"] as const) {
      const doc = assumeRolePolicy(service);
      assert.deepEqual(doc.Statement, [
        { Sid: "AssumeRole", Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole"] },
      ]);
    }
  });
});

describe("infra: state machine role", () => {
  const arns = ["arn:aws:lambda:us-east-1:1:function:a", "arn:aws:lambda:us-east-1:1:function:b"];
  const doc = stateMachinePolicy(arns);

  it("may invoke exactly its task functions", () => {
    const invoke = doc.Statement.filter((s) => s.Action.includes("lambda:InvokeFunction"));
    assert.equal(invoke.length, 1);
    assert.deepEqual(invoke[0]?.Action, ["lambda:InvokeFunction"]);
    assert.deepEqual(invoke[0]?.Resource, arns);
  });

  it("may set up log delivery and write traces, and nothing else", () => {
    const actions = doc.Statement.flatMap((s) => s.Action).sort();
    assert.deepEqual(actions, [
      "lambda:InvokeFunction",
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:DescribeLogGroups",
      "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]);
  });
});

describe("infra: bucket policies", () => {
  const BUCKET = "arn:aws:s3:::b";
  const DIST = "arn:aws:cloudfront::123456789012:distribution/E1";

  it("always deny requests without TLS, for the bucket and its objects", () => {
    const [deny] = bucketPolicy(BUCKET, []).Statement;
    assert.deepEqual(deny, {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:*"],
      Resource: [BUCKET, `${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("CloudFront reads one prefix, for this distribution only", () => {
    assert.deepEqual(cloudFrontRead(BUCKET, "thumbnails/", DIST), {
      Sid: "AllowCloudFrontRead",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: ["s3:GetObject"],
      Resource: [`${BUCKET}/thumbnails/*`],
      Condition: { StringEquals: { "AWS:SourceArn": DIST } },
    });
  });

  it("the public-bucket mode grants anonymous s3:GetObject on thumbnails/* and nothing else", () => {
    assert.deepEqual(publicRead(BUCKET, "thumbnails/"), {
      Sid: "AllowPublicRead",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject"],
      Resource: [`${BUCKET}/thumbnails/*`],
    });
  });
});
