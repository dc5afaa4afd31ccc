import { strict as assert } from "node:assert";
import { ApiClient, apiUrl } from "../../../web/src/api";
import {
  isErrorBody,
  isRuntimeConfig,
  isServiceSettings,
  isThumbnailResult,
  isUploadTicket,
} from "../../../web/src/guards";

describe("web: apiUrl", () => {
  it("joins an empty (same-origin) or absolute base with a path and a query", () => {
    assert.equal(apiUrl("", "/config"), "/config");
    assert.equal(
      apiUrl("https://abc.execute-api.eu-west-1.amazonaws.com", "/config"),
      "https://abc.execute-api.eu-west-1.amazonaws.com/config",
    );
    assert.equal(
      apiUrl("https://x.example/prod/", "/uploadURL", { contentType: "image/png" }),
      "https://x.example/prod/uploadURL?contentType=image%2Fpng",
    );
    assert.equal(
      apiUrl("", "/thumbnail", { imageName: "a b&c", res: "64x64" }),
      "/thumbnail?imageName=a+b%26c&res=64x64",
    );
  });

  it("asks for a thumbnail with fit, and position only when there is one", async () => {
    const asked: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input: string | URL | Request) => {
      asked.push(String(input));
      return new Response(JSON.stringify(RESULT), { status: 200 });
    };
    try {
      const api = new ApiClient("");
      await api.thumbnail({ imageName: "x.png", res: "64x64", format: "webp", fit: "inside" });
      await api.thumbnail({ imageName: "x.png", res: "64x64", format: "webp", fit: "cover", position: "entropy" });
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(asked, [
      "/thumbnail?imageName=x.png&res=64x64&format=webp&fit=inside",
      "/thumbnail?imageName=x.png&res=64x64&format=webp&fit=cover&position=entropy",
    ]);
  });
});

const PLACEHOLDER = "data:image/webp;base64,UklGRiQAAABXRUJQ";
const RESULT = {
  url: "u",
  imageName: "i",
  res: "64x64",
  width: 64,
  height: 43,
  format: "webp",
  fit: "inside",
  bytes: 900,
  cached: false,
  placeholder: PLACEHOLDER,
};
const SETTINGS = {
  resolutions: ["64x64"],
  formats: ["jpeg"],
  maxUploadBytes: 10,
  uploadContentTypes: ["image/png"],
  fits: ["inside", "cover"],
  positions: ["attention"],
};

describe("web: response guards", () => {
  it("accepts the contract's bodies", () => {
    assert.ok(isRuntimeConfig({ apiBaseUrl: "" }));
    assert.ok(isServiceSettings(SETTINGS));
    assert.ok(
      isUploadTicket({
        url: "http://s3/b",
        fields: { key: "uploads/x.png" },
        imageName: "x.png",
        expiresAt: "2030-01-01T00:00:00Z",
        maxUploadBytes: 5,
      }),
    );
    assert.ok(isThumbnailResult(RESULT));
    assert.ok(isThumbnailResult({ ...RESULT, fit: "cover", position: "attention" }));
    assert.ok(isErrorBody({ error: { code: "ImageNotFound", message: "m" }, requestId: "r" }));
  });

  it("refuses bodies of the wrong shape", () => {
    assert.ok(!isRuntimeConfig({}));
    assert.ok(!isRuntimeConfig("<html>"));
    assert.ok(!isServiceSettings({ ...SETTINGS, resolutions: [] }));
    assert.ok(!isServiceSettings({ ...SETTINGS, maxUploadBytes: "10" }));
    assert.ok(!isServiceSettings({ ...SETTINGS, fits: [] }));
    assert.ok(!isServiceSettings({ ...SETTINGS, positions: undefined }));
    assert.ok(!isUploadTicket({ url: "u", fields: { key: 1 }, imageName: "i", expiresAt: "e", maxUploadBytes: 5 }));
    assert.ok(!isThumbnailResult({ ...RESULT, width: 64.5 }));
    assert.ok(!isThumbnailResult({ ...RESULT, fit: undefined }));
    assert.ok(!isThumbnailResult({ ...RESULT, placeholder: undefined }));
    // The placeholder becomes an image's src: nothing but an image data: URI gets there.
    assert.ok(!isThumbnailResult({ ...RESULT, placeholder: "https://tracker.example/p.gif" }));
    assert.ok(!isThumbnailResult({ ...RESULT, placeholder: "javascript:alert(1)" }));
    assert.ok(!isThumbnailResult({ ...RESULT, placeholder: "data:text/html;base64,PHNjcmlwdD4=" }));
    assert.ok(!isErrorBody({ message: "Internal Server Error" }));
    assert.ok(!isErrorBody(null));
  });
});
