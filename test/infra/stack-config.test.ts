/** The stack config: typed, defaulted, and refused at `pulumi up` when a function would refuse it. */
import { strict as assert } from "node:assert";
import path from "node:path";
import { CONFIG_DEFAULTS } from "../../lambdas/shared/config";
import { STACK_CONFIG_KEYS, STACK_DEFAULTS, StackConfigError, readStackConfig } from "../../infra/stack-config";
import { readStackFile } from "./support/stack-file";

const from =
  (values: Record<string, string>) =>
  (key: string): string | undefined =>
    values[key];

describe("infra: stack config", () => {
  it("defaults to the service's documented defaults and the stack defaults", () => {
    const c = readStackConfig(from({}));
    assert.deepEqual(c.service, {
      resolutions: [...CONFIG_DEFAULTS.resolutions],
      formats: [...CONFIG_DEFAULTS.formats],
      defaultFormat: CONFIG_DEFAULTS.defaultFormat,
      maxUploadBytes: CONFIG_DEFAULTS.maxUploadBytes,
      maxInputPixels: CONFIG_DEFAULTS.maxInputPixels,
      uploadContentTypes: [...CONFIG_DEFAULTS.uploadContentTypes],
      uploadExpirySeconds: CONFIG_DEFAULTS.uploadExpirySeconds,
      processingTimeoutSeconds: CONFIG_DEFAULTS.processingTimeoutSeconds,
    });
    assert.deepEqual(c.extraOrigins, []);
    assert.equal(c.deliveryMode, "cloudfront");
    assert.equal(c.architecture, "arm64");
    assert.equal(c.memoryMb, 512);
    assert.equal(c.resizeMemoryMb, 3008);
    assert.equal(c.logRetentionDays, 14);
    assert.deepEqual(c.throttle, {
      rateLimit: STACK_DEFAULTS.throttleRateLimit,
      burstLimit: STACK_DEFAULTS.throttleBurstLimit,
    });
    assert.equal(c.forceDestroy, false);
    assert.equal(c.alarmEmail, undefined);
    assert.equal(c.priceClass, "PriceClass_100");
  });

  it("reads YAML lists (JSON text) and comma-separated lists, numbers and booleans", () => {
    const c = readStackConfig(
      from({
        resolutions: '["32x32","100x50"]',
        formats: "webp, png",
        defaultFormat: "webp",
        allowedOrigins: '["https://a.example","http://localhost:3000"]',
        maxUploadBytes: "1000",
        architecture: "x86_64",
        deliveryMode: "public-bucket",
        forceDestroy: "true",
        logRetentionDays: "90",
        alarmEmail: "ops@example.com",
      }),
    );
    assert.deepEqual(c.service.resolutions, ["32x32", "100x50"]);
    assert.deepEqual(c.service.formats, ["webp", "png"]);
    assert.equal(c.service.maxUploadBytes, 1000);
    assert.deepEqual(c.extraOrigins, ["https://a.example", "http://localhost:3000"]);
    assert.equal(c.architecture, "x86_64");
    assert.equal(c.deliveryMode, "public-bucket");
    assert.equal(c.forceDestroy, true);
    assert.equal(c.logRetentionDays, 90);
    assert.equal(c.alarmEmail, "ops@example.com");
  });

  for (const [what, values, message] of [
    ["an unknown architecture", { architecture: "arm" }, /architecture must be one of arm64, x86_64/],
    ["an unknown delivery mode", { deliveryMode: "website" }, /deliveryMode/],
    ["a resolution the API would refuse", { resolutions: '["0100x100"]' }, /resolutions/],
    ["a format sharp does not offer", { formats: '["gif"]' }, /formats/],
    ["a default format not offered", { formats: '["png"]' }, /DEFAULT_FORMAT/],
    ["an upload expiry over 5 minutes", { uploadExpirySeconds: "600" }, /uploadExpirySeconds/],
    ["a size that is not an integer", { maxUploadBytes: "25MB" }, /maxUploadBytes/],
    ["an origin with a path", { allowedOrigins: '["https://a.example/app"]' }, /allowedOrigins/],
    ["a processing timeout the Resize task would cut off", { processingTimeoutSeconds: "5" }, /below the Resize task/],
    ["a log retention CloudWatch does not offer", { logRetentionDays: "10" }, /logRetentionDays must be one of/],
    ["memory outside Lambda's range", { memoryMb: "64" }, /memoryMb/],
    ["a malformed list", { resolutions: '["64x64"' }, /not a valid list/],
    ["a list of non-strings", { formats: "[1,2]" }, /list of strings/],
    ["a non-boolean", { forceDestroy: "yes" }, /forceDestroy must be true or false/],
    ["a bad email", { alarmEmail: "ops" }, /alarmEmail/],
    [
      "a JWT issuer without an audience",
      { jwtIssuer: "https://issuer.example.com" },
      /jwtIssuer and jwtAudience go together/,
    ],
    ["a JWT audience without an issuer", { jwtAudience: '["client"]' }, /jwtIssuer and jwtAudience go together/],
    [
      "a JWT issuer over http",
      { jwtIssuer: "http://issuer.example.com", jwtAudience: "client" },
      /jwtIssuer must be the issuer's https URL/,
    ],
    ["a JWT issuer that is not a URL", { jwtIssuer: "us-east-1_Example", jwtAudience: "client" }, /jwtIssuer must be/],
    [
      "a JWT issuer with a query",
      { jwtIssuer: "https://issuer.example.com/?x=1", jwtAudience: "client" },
      /jwtIssuer must be/,
    ],
    [
      "an empty JWT audience list",
      { jwtIssuer: "https://issuer.example.com", jwtAudience: "[]" },
      /jwtAudience must list at least one/,
    ],
    [
      "an empty JWT audience",
      { jwtIssuer: "https://issuer.example.com", jwtAudience: '["a",""]' },
      /jwtAudience must list/,
    ],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => readStackConfig(from(values)),
        (err: unknown) => err instanceof StackConfigError && message.test(err.message),
      );
    });
  }

  it("is open (no auth) by default, and requires sign-in when both jwtIssuer and jwtAudience are set", () => {
    assert.equal(readStackConfig(from({})).auth, undefined);
    const cognito = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
    assert.deepEqual(
      readStackConfig(from({ jwtIssuer: cognito, jwtAudience: '["4h5j6k7l8m9n0p1q2r3s4t5u6v"]' })).auth,
      {
        issuer: cognito,
        audiences: ["4h5j6k7l8m9n0p1q2r3s4t5u6v"],
      },
    );
    // Auth0-style issuers end with a slash; the token's iss must match it exactly, so it is kept.
    assert.deepEqual(
      readStackConfig(from({ jwtIssuer: "https://tenant.eu.auth0.com/", jwtAudience: "api-a, api-b" })).auth,
      {
        issuer: "https://tenant.eu.auth0.com/",
        audiences: ["api-a", "api-b"],
      },
    );
  });

  it("refuses a key it does not read (a typo would otherwise be ignored)", () => {
    assert.throws(
      () => readStackConfig(from({}), ["architecture", "architectur"]),
      /unknown config key\(s\): architectur/,
    );
    assert.doesNotThrow(() => readStackConfig(from({}), [...STACK_CONFIG_KEYS]));
  });

  it("Pulumi.dev.yaml is a valid, documented stack config", () => {
    const file = path.join(__dirname, "..", "..", "Pulumi.dev.yaml");
    const values = readStackFile(file, "thumbnail-service");
    for (const key of [
      "resolutions",
      "formats",
      "defaultFormat",
      "maxUploadBytes",
      "maxInputPixels",
      "uploadContentTypes",
      "uploadExpirySeconds",
      "processingTimeoutSeconds",
      "allowedOrigins",
      "deliveryMode",
      "priceClass",
      "architecture",
      "memoryMb",
      "resizeMemoryMb",
      "logRetentionDays",
      "throttleRateLimit",
      "throttleBurstLimit",
      "uploadRetentionDays",
      "latencyAlarmP99Ms",
      "forceDestroy",
    ]) {
      assert.ok(values.has(key), `Pulumi.dev.yaml sets ${key}`);
    }
    const c = readStackConfig((key) => values.get(key), [...values.keys()]);
    const defaults = readStackConfig(from({}));
    // dev differs from the defaults only where its comments say so.
    assert.deepEqual(
      { ...c, logRetentionDays: defaults.logRetentionDays, forceDestroy: defaults.forceDestroy },
      defaults,
    );
    assert.equal(c.logRetentionDays, 7);
    assert.equal(c.forceDestroy, true);
  });
});
