/** Storage as the program declares it: private, encrypted, TLS-only buckets; uploads from the page only. */
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import { ACCOUNT, REGION, recorded, settled, valueOf, type RecordedResource } from "./support/mocks";
import { PREFIX, at, json, loadProgram, ofType, one, text, type ProgramRun } from "./support/program";
import { Storage } from "../../infra/storage";

const BUCKET = "aws:s3/bucket:Bucket";
const BPA = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

const isDenyTls = (s: unknown): boolean =>
  at(s, "Effect") === "Deny" &&
  at(s, "Condition", "Bool", "aws:SecureTransport") === "false" &&
  at(s, "Principal") === "*";

function policyOf(resources: RecordedResource[], bucketLogicalName: string): unknown[] {
  const statements = at(json(one(resources, POLICY, `${bucketLogicalName}-policy`).inputs["policy"]), "Statement");
  assert.ok(Array.isArray(statements));
  return statements;
}

describe("infra program: storage", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  before(async () => {
    run = await loadProgram();
  });

  it("three buckets, named per stack: source, thumbnails, site", () => {
    const prefixes = ofType(run.resources, BUCKET).map((b) => b.inputs["bucketPrefix"]);
    assert.deepEqual(prefixes.sort(), [`${PREFIX}-site-`, `${PREFIX}-source-`, `${PREFIX}-thumbnails-`]);
  });

  for (const bucket of ["storage-source", "storage-thumbnails", "site-bucket"]) {
    it(`${bucket}: all four Block Public Access settings, ACLs disabled, SSE-S3, deny non-TLS`, () => {
      const bpa = one(run.resources, BPA, `${bucket}-public-access`).inputs;
      assert.deepEqual(
        [bpa["blockPublicAcls"], bpa["ignorePublicAcls"], bpa["blockPublicPolicy"], bpa["restrictPublicBuckets"]],
        [true, true, true, true],
      );
      const ownership = one(
        run.resources,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        `${bucket}-ownership`,
      );
      assert.equal(at(ownership.inputs, "rule", "objectOwnership"), "BucketOwnerEnforced");
      const sse = one(
        run.resources,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        `${bucket}-encryption`,
      );
      assert.equal(at(sse.inputs, "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"), "AES256");
      assert.ok(policyOf(run.resources, bucket).some(isDenyTls));
    });
  }

  it("the source bucket grants nobody anything by policy (the presign role signs uploads)", () => {
    const statements = policyOf(run.resources, "storage-source");
    assert.equal(statements.length, 1);
    assert.ok(isDenyTls(statements[0]));
  });

  it("the source bucket takes POSTs from the site and the configured origins only", () => {
    const cors = one(
      run.resources,
      "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
      "storage-source-cors",
    ).inputs;
    assert.deepEqual(at(cors, "corsRules"), [
      {
        id: "browser-upload",
        allowedMethods: ["POST"],
        allowedOrigins: [text(run.outputs["siteUrl"]), "http://localhost:5173"],
        maxAgeSeconds: 600,
      },
    ]);
  });

  it("abandoned uploads expire, and staged thumbnails after a day", () => {
    const source = one(
      run.resources,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "storage-source-lifecycle",
    );
    assert.deepEqual(at(source.inputs, "rules"), [
      {
        id: "expire-uploads",
        status: "Enabled",
        filter: { prefix: "uploads/" },
        expiration: { days: 7 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ]);
    const thumbs = one(
      run.resources,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "storage-thumbnails-lifecycle",
    );
    assert.deepEqual(at(thumbs.inputs, "rules"), [
      {
        id: "expire-staging",
        status: "Enabled",
        filter: { prefix: "staging/" },
        expiration: { days: 1 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ]);
  });

  it("thumbnails/* (only) is readable by the thumbnails distribution through OAC", () => {
    const distribution = one(run.resources, "aws:cloudfront/distribution:Distribution", "storage-cdn");
    const distributionArn = `arn:aws:cloudfront::${ACCOUNT}:distribution/ESTORAGE-CDN`;
    const bucketArn = `arn:aws:s3:::${text(run.outputs["thumbnailBucketName"])}`;
    const statements = policyOf(run.resources, "storage-thumbnails");
    assert.equal(statements.length, 2);
    assert.deepEqual(statements[1], {
      Sid: "AllowCloudFrontRead",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: ["s3:GetObject"],
      Resource: [`${bucketArn}/thumbnails/*`],
      Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
    });
    const oac = one(run.resources, "aws:cloudfront/originAccessControl:OriginAccessControl", "storage-cdn-oac").inputs;
    assert.deepEqual(
      [oac["originAccessControlOriginType"], oac["signingBehavior"], oac["signingProtocol"]],
      ["s3", "always", "sigv4"],
    );
    assert.equal(at(distribution.inputs, "origins", 0, "originAccessControlId"), "storage-cdn-oac-id");
    assert.equal(
      at(distribution.inputs, "origins", 0, "domainName"),
      `${text(run.outputs["thumbnailBucketName"])}.s3.${REGION}.amazonaws.com`,
    );
    assert.equal(at(distribution.inputs, "defaultCacheBehavior", "viewerProtocolPolicy"), "redirect-to-https");
    assert.deepEqual(at(distribution.inputs, "defaultCacheBehavior", "allowedMethods"), ["GET", "HEAD"]);
    assert.equal(at(distribution.inputs, "defaultCacheBehavior", "cachePolicyId"), "policy-Managed-CachingOptimized");
  });

  it("thumbnail URLs point at the thumbnails distribution, for the API and the functions alike", () => {
    assert.equal(run.outputs["thumbnailBaseUrl"], "https://d-storage-cdn.cloudfront.net");
    assert.equal(run.outputs["deliveryMode"], "cloudfront");
    for (const fn of ofType(run.resources, "aws:lambda/function:Function")) {
      assert.equal(at(fn.inputs, "environment", "variables", "PUBLIC_BASE_URL"), run.outputs["thumbnailBaseUrl"]);
    }
  });
});

const dependencies = new Map<string, pulumi.Resource[]>();
function recordDependencies(args: pulumi.ResourceTransformationArgs): undefined {
  const deps = args.opts.dependsOn;
  if (Array.isArray(deps))
    dependencies.set(
      args.name,
      deps.filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d)),
    );
  return undefined;
}

describe("infra component: storage in the public-bucket mode", function () {
  this.timeout(60_000);
  let mine: RecordedResource[];
  let baseUrl: string;
  before(async () => {
    await loadProgram();
    const before = recorded.length;
    const storage = new Storage(
      "simple",
      {
        prefix: "thumbs-simple",
        deliveryMode: "public-bucket",
        priceClass: "PriceClass_100",
        uploadRetentionDays: 3,
        forceDestroy: false,
        allowedOrigins: ["https://site.example"],
        region: REGION,
      },
      // Mocks record inputs only: a transformation (run by the SDK for every child) records dependsOn.
      { transformations: [recordDependencies] },
    );
    baseUrl = await valueOf(storage.publicBaseUrl);
    await settled();
    mine = recorded.slice(before);
  });

  it("no CloudFront: the public URL is the bucket's regional endpoint", () => {
    assert.equal(ofType(mine, "aws:cloudfront/distribution:Distribution").length, 0);
    assert.equal(baseUrl, `https://thumbs-simple-thumbnails-0a1b2c3d.s3.${REGION}.amazonaws.com`);
  });

  it("the thumbnails bucket lifts only the two BPA settings that forbid a public policy", () => {
    const bpa = one(mine, BPA, "simple-thumbnails-public-access").inputs;
    assert.deepEqual(
      [bpa["blockPublicAcls"], bpa["ignorePublicAcls"], bpa["blockPublicPolicy"], bpa["restrictPublicBuckets"]],
      [true, true, false, false],
    );
    const source = one(mine, BPA, "simple-source-public-access").inputs;
    assert.deepEqual([source["blockPublicPolicy"], source["restrictPublicBuckets"]], [true, true]);
  });

  it("anonymous s3:GetObject on thumbnails/* and nothing else; staging/ stays private", () => {
    const statements = policyOf(mine, "simple-thumbnails");
    assert.equal(statements.length, 2);
    assert.ok(isDenyTls(statements[0]));
    assert.deepEqual(statements[1], {
      Sid: "AllowPublicRead",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::thumbs-simple-thumbnails-0a1b2c3d/thumbnails/*"],
    });
  });

  it("the policy waits for the Block Public Access change (S3 refuses a public policy before)", async () => {
    const names = await Promise.all(
      (dependencies.get("simple-thumbnails-policy") ?? []).map(async (r) => (await valueOf(r.urn)).split("::").pop()),
    );
    assert.ok(names.includes("simple-thumbnails-public-access"), `depends on ${names.join(", ")}`);
  });
});
