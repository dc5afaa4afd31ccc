import { strict as assert } from "node:assert";
import { apiUrl } from "../../web/src/api";
import { isErrorBody, isRuntimeConfig, isServiceSettings, isThumbnailResult, isUploadTicket } from "../../web/src/guards";

describe("web: apiUrl", () => {
  it("joins an empty (same-origin) or absolute base with a path and a query", () => {
    assert.equal(apiUrl("", "/config"), "/config");
    assert.equal(apiUrl("https://abc.execute-api.eu-west-1.amazonaws.com", "/config"), "https://abc.execute-api.eu-west-1.amazonaws.com/config");
    assert.equal(apiUrl("https://x.example/prod/", "/uploadURL", { contentType: "image/png" }), "https://x.example/prod/uploadURL?contentType=image%2Fpng");
    assert.equal(apiUrl("", "/thumbnail", { imageName: "a b&c", res: "64x64" }), "/thumbnail?imageName=a+b%26c&res=64x64");
  });
});

describe("web: response guards", () => {
  it("accepts the contract's bodies", () => {
    assert.ok(isRuntimeConfig({ apiBaseUrl: "" }));
    assert.ok(isServiceSettings({ resolutions: ["64x64"], formats: ["jpeg"], maxUploadBytes: 10, uploadContentTypes: ["image/png"] }));
    assert.ok(isUploadTicket({ url: "http://s3/b", fields: { key: "uploads/x.png" }, imageName: "x.png", expiresAt: "2030-01-01T00:00:00Z", maxUploadBytes: 5 }));
    assert.ok(isThumbnailResult({ url: "u", imageName: "i", res: "64x64", width: 64, height: 43, format: "webp", bytes: 900, cached: false }));
    assert.ok(isErrorBody({ error: { code: "ImageNotFound", message: "m" }, requestId: "r" }));
  });

  it("refuses bodies of the wrong shape", () => {
    assert.ok(!isRuntimeConfig({}));
    assert.ok(!isRuntimeConfig("<html>"));
    assert.ok(!isServiceSettings({ resolutions: [], formats: ["jpeg"], maxUploadBytes: 10, uploadContentTypes: [] }));
    assert.ok(!isServiceSettings({ resolutions: ["64x64"], formats: ["jpeg"], maxUploadBytes: "10", uploadContentTypes: [] }));
    assert.ok(!isUploadTicket({ url: "u", fields: { key: 1 }, imageName: "i", expiresAt: "e", maxUploadBytes: 5 }));
    assert.ok(!isThumbnailResult({ url: "u", imageName: "i", res: "64x64", width: 64.5, height: 43, format: "webp", bytes: 900, cached: false }));
    assert.ok(!isErrorBody({ message: "Internal Server Error" }));
    assert.ok(!isErrorBody(null));
  });
});
