/** The page: a private bucket behind its own distribution, web/'s files, and the API URL at deploy time. */
import { strict as assert } from "node:assert";
import { collectSiteFiles } from "../../infra/site-files";
import { ACCOUNT } from "./support/mocks";
import { SITE_DIR, at, json, loadProgram, ofType, one, text, type ProgramRun } from "./support/program";

describe("infra program: site", function () {
  this.timeout(60_000);
  let run: ProgramRun;
  before(async () => {
    run = await loadProgram();
  });

  it("serves index.html over HTTPS from a private bucket through OAC, with security headers", () => {
    const distribution = one(run.resources, "aws:cloudfront/distribution:Distribution", "site-cdn").inputs;
    assert.equal(distribution["defaultRootObject"], "index.html");
    assert.equal(at(distribution, "origins", 0, "originAccessControlId"), "site-cdn-oac-id");
    assert.equal(at(distribution, "defaultCacheBehavior", "viewerProtocolPolicy"), "redirect-to-https");
    assert.equal(
      at(distribution, "defaultCacheBehavior", "responseHeadersPolicyId"),
      "policy-Managed-SecurityHeadersPolicy",
    );
    assert.deepEqual(at(distribution, "viewerCertificate"), { cloudfrontDefaultCertificate: true });
    assert.equal(run.outputs["siteUrl"], "https://d-site-cdn.cloudfront.net");
    const policy = json(one(run.resources, "aws:s3/bucketPolicy:BucketPolicy", "site-bucket-policy").inputs["policy"]);
    assert.deepEqual(at(policy, "Statement", 1, "Principal"), { Service: "cloudfront.amazonaws.com" });
    assert.deepEqual(at(policy, "Statement", 1, "Condition"), {
      StringEquals: { "AWS:SourceArn": `arn:aws:cloudfront::${ACCOUNT}:distribution/ESITE-CDN` },
    });
  });

  it("builds the page and uploads the build, each file with its content type and cache policy", () => {
    const expected = collectSiteFiles(SITE_DIR).files;
    assert.ok(
      expected.some((f) => f.key === "index.html"),
      "the program built the page",
    );
    assert.ok(
      expected.some((f) => /^assets\/app-[A-Za-z0-9]+\.js$/.test(f.key)),
      "with its hashed bundle",
    );
    const uploaded = ofType(run.resources, "aws:s3/bucketObjectv2:BucketObjectv2").filter((o) =>
      o.name.startsWith("site-file-"),
    );
    assert.deepEqual(
      uploaded.map((o) => [o.inputs["key"], o.inputs["contentType"], o.inputs["cacheControl"]]).sort(),
      expected.map((f) => [f.key, f.contentType, f.cacheControl]).sort(),
    );
    for (const o of uploaded) assert.equal(o.inputs["bucket"], "site-bucket-id");
  });

  it("writes runtime-config.json with the API's URL, never cached", () => {
    const file = one(run.resources, "aws:s3/bucketObjectv2:BucketObjectv2", "site-config-file").inputs;
    assert.equal(file["key"], "runtime-config.json");
    assert.equal(file["bucket"], "site-bucket-id");
    assert.equal(file["contentType"], "application/json");
    assert.equal(file["cacheControl"], "no-cache");
    assert.deepEqual(json(file["content"]), { apiBaseUrl: text(run.outputs["apiUrl"]) });
  });
});
