/** The functions' environment is what configToEnv writes and parseConfig accepts; names are per stack. */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../lambdas/shared/config";
import { serviceEnvironment } from "../../infra/environment";
import { NamingError, resourcePrefix } from "../../infra/naming";
import { readStackConfig } from "../../infra/stack-config";

describe("infra: function environment", () => {
  const settings = readStackConfig(() => undefined).service;
  const resources = {
    sourceBucket: "thumbs-dev-source-abc",
    thumbnailBucket: "thumbs-dev-thumbnails-abc",
    publicBaseUrl: "https://d1.cloudfront.net",
    allowedOrigins: ["https://d2.cloudfront.net"],
  };

  it("carries every runtime setting and the AWS values, and parses back to the same config", () => {
    const env = serviceEnvironment(settings, resources);
    assert.deepEqual(Object.keys(env).sort(), [
      "ALLOWED_ORIGINS",
      "DEFAULT_FORMAT",
      "FORMATS",
      "MAX_INPUT_PIXELS",
      "MAX_UPLOAD_BYTES",
      "PROCESSING_TIMEOUT_SECONDS",
      "PUBLIC_BASE_URL",
      "RESOLUTIONS",
      "SOURCE_BUCKET",
      "THUMBNAIL_BUCKET",
      "UPLOAD_CONTENT_TYPES",
      "UPLOAD_EXPIRY_SECONDS",
    ]);
    assert.deepEqual(parseConfig(env), { ...settings, ...resources });
  });

  it("gives the state machine ARN to whoever needs it", () => {
    const arn = "arn:aws:states:us-east-1:123456789012:stateMachine:thumbs-dev-thumbnail";
    assert.equal(serviceEnvironment(settings, { ...resources, stateMachineArn: arn })["STATE_MACHINE_ARN"], arn);
  });

  it("refuses what a function would refuse at cold start", () => {
    assert.throws(() => serviceEnvironment(settings, { ...resources, publicBaseUrl: "https://d1.cloudfront.net/" }));
    assert.throws(() => serviceEnvironment(settings, { ...resources, sourceBucket: "Bad_Bucket" }));
  });
});

describe("infra: resource names", () => {
  it("prefixes names with the stack", () => {
    assert.equal(resourcePrefix("dev"), "thumbs-dev");
    assert.equal(resourcePrefix("Prod_EU"), "thumbs-prod-eu");
  });

  it("refuses a stack name too long for S3's bucket prefix", () => {
    assert.throws(() => resourcePrefix("a-very-long-stack-name-indeed"), NamingError);
    assert.throws(() => resourcePrefix("___"), NamingError);
    // thumbs-<18 chars>-thumbnails- is S3's 37-character limit exactly.
    assert.equal(`${resourcePrefix("x".repeat(18))}-thumbnails-`.length, 37);
  });
});
