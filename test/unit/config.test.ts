import { strict as assert } from "node:assert";
import { CONFIG_DEFAULTS, ConfigError, configToEnv, parseConfig } from "../../lambdas/shared/config";

const base = {
  SOURCE_BUCKET: "src-bucket",
  THUMBNAIL_BUCKET: "thumb-bucket",
  PUBLIC_BASE_URL: "https://cdn.example.com",
};

describe("config: parseConfig", () => {
  it("fills documented defaults", () => {
    const c = parseConfig(base);
    assert.deepEqual(c.resolutions, CONFIG_DEFAULTS.resolutions);
    assert.equal(c.maxUploadBytes, CONFIG_DEFAULTS.maxUploadBytes);
    assert.equal(c.defaultFormat, "jpeg");
  });

  it("parses lists and integers", () => {
    const c = parseConfig({
      ...base,
      RESOLUTIONS: "32x32, 100x50",
      MAX_UPLOAD_BYTES: "1000",
      FORMATS: "webp",
      DEFAULT_FORMAT: "webp",
    });
    assert.deepEqual(c.resolutions, ["32x32", "100x50"]);
    assert.equal(c.maxUploadBytes, 1000);
  });

  for (const [name, env] of [
    ["missing bucket", { ...base, SOURCE_BUCKET: undefined }],
    ["bad resolution", { ...base, RESOLUTIONS: "0100x100" }],
    ["expiry over 5 minutes", { ...base, UPLOAD_EXPIRY_SECONDS: "301" }],
    ["non-numeric size", { ...base, MAX_UPLOAD_BYTES: "10MB" }],
    ["default format not offered", { ...base, FORMATS: "png" }],
    ["trailing slash in base URL", { ...base, PUBLIC_BASE_URL: "https://cdn.example.com/" }],
  ] as const) {
    it(`refuses ${name}`, () => {
      assert.throws(() => parseConfig(env), ConfigError);
    });
  }

  it("round-trips through configToEnv", () => {
    const c = parseConfig({ ...base, ALLOWED_ORIGINS: "https://a.example,https://b.example" });
    assert.deepEqual(parseConfig(configToEnv(c)), c);
  });
});
