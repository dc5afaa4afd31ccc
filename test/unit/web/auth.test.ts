/** The page's side of sign-in: the host's hook, the header it sends, the 401 in plain words. */
import { strict as assert } from "node:assert";
import { ApiClient } from "../../../web/src/api";
import { authorizationHeaders, bearerToken, isThumbnailAuth, tokenSource } from "../../../web/src/auth";
import { isRuntimeConfig, isSignedIn } from "../../../web/src/guards";
import { explain, ProblemError } from "../../../web/src/problems";

const ctx = { acceptedTypes: "JPEG or PNG", maxUploadBytes: 1000 };

describe("web: tokens from the embedding app", () => {
  it("recognises the hook by its getToken function", () => {
    assert.ok(isThumbnailAuth({ getToken: async () => "t" }));
    assert.ok(isThumbnailAuth({ getToken: () => undefined }));
    for (const v of [undefined, null, {}, { getToken: "t" }, "t"]) assert.ok(!isThumbnailAuth(v), JSON.stringify(v));
  });

  it("sends the raw token after `Bearer `, whatever prefix or blanks the host's answer had; nothing without one", () => {
    assert.equal(bearerToken(" eyJ.a.b "), "eyJ.a.b");
    assert.equal(bearerToken("Bearer eyJ.a.b"), "eyJ.a.b");
    for (const none of ["", "  ", "Bearer ", undefined, null, 42])
      assert.equal(bearerToken(none), undefined, JSON.stringify(none));
    assert.deepEqual(authorizationHeaders("eyJ.a.b"), { authorization: "Bearer eyJ.a.b" });
    assert.deepEqual(authorizationHeaders(undefined), {});
  });

  it("asks the host's hook at each request (installed late or refreshed), falls back without one, survives a throwing hook", async () => {
    let hook: unknown;
    let issued = 0;
    const source = tokenSource(
      () => hook,
      async () => "dev-token",
    );
    assert.equal(await source(), "dev-token", "no hook yet: the fallback (dev sign-in)");
    hook = { getToken: async () => `host-token-${++issued}` };
    assert.equal(await source(), "host-token-1");
    assert.equal(await source(), "host-token-2", "asked again, not cached");
    hook = { getToken: () => "sync-token" };
    assert.equal(await source(), "sync-token");
    hook = {
      getToken: async () => {
        throw new Error("session gone");
      },
    };
    const error = console.error;
    console.error = () => undefined;
    try {
      assert.equal(await source(), undefined, "no token: the API's 401 explains");
    } finally {
      console.error = error;
    }
  });

  it("runtime-config.json may say sign-in is required and where the dev sign-in is", () => {
    assert.ok(isRuntimeConfig({ apiBaseUrl: "", auth: {} }));
    assert.ok(isRuntimeConfig({ apiBaseUrl: "", auth: { devSignInUrl: "/_local/issuer/sign-in" } }));
    assert.ok(!isRuntimeConfig({ apiBaseUrl: "", auth: "yes" }));
    assert.ok(!isRuntimeConfig({ apiBaseUrl: "", auth: { devSignInUrl: 1 } }));
    assert.ok(isSignedIn({ token: "t", user: "alice", expiresAt: "2030-01-01T00:00:00Z" }));
    assert.ok(!isSignedIn({ token: "", user: "alice", expiresAt: "x" }));
  });

  it("explains a 401 as a sign-in to do, for the step it stopped", () => {
    const upload = explain({ kind: "api", step: "link", status: 401 }, ctx);
    assert.equal(upload.title, "Sign in to upload images");
    assert.match(upload.advice, /aren't signed in, or your sign-in has expired/);
    assert.equal(upload.status, 401);
    assert.equal(explain({ kind: "api", step: "thumbnail", status: 401 }, ctx).title, "Sign in to make thumbnails");
  });
});

describe("web: ApiClient sends the token where the API needs it", () => {
  const base = "https://api.example";
  const seen: { path: string; headers: Headers }[] = [];
  let refuse = false;
  const realFetch = globalThis.fetch;

  // The page's fetch answered in memory: what is asserted is what the client puts on each request.
  before(() => {
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      seen.push({ path, headers: request.headers });
      if (refuse && path !== "/config") {
        return new Response('{"message":"Unauthorized"}', {
          status: 401,
          headers: { "content-type": "application/json" },
        });
      }
      const bodies: Record<string, unknown> = {
        "/config": {
          resolutions: ["64x64"],
          formats: ["jpeg"],
          maxUploadBytes: 10,
          uploadContentTypes: ["image/png"],
          fits: ["inside", "cover"],
          positions: ["attention", "entropy", "center"],
        },
        "/uploadURL": {
          url: "http://s3/b",
          fields: { key: "uploads/x.png" },
          imageName: "x.png",
          expiresAt: "2030-01-01T00:00:00Z",
          maxUploadBytes: 10,
        },
        "/thumbnail": {
          url: "u",
          imageName: "x.png",
          res: "64x64",
          width: 64,
          height: 43,
          format: "jpeg",
          bytes: 900,
          cached: false,
          fit: "inside",
          placeholder: "data:image/webp;base64,UklGRg==",
        },
      };
      return new Response(JSON.stringify(bodies[path] ?? {}), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    };
  });
  after(() => {
    globalThis.fetch = realFetch;
  });
  beforeEach(() => {
    seen.length = 0;
    refuse = false;
  });

  it("Authorization: Bearer on /uploadURL and /thumbnail, none on the public /config", async () => {
    const api = new ApiClient(base, async () => "eyJ.tok.en");
    await api.settings();
    await api.uploadTicket("image/png");
    await api.thumbnail({ imageName: "x.png", res: "64x64", format: "jpeg", fit: "inside" });
    assert.deepEqual(
      seen.map((r) => [r.path, r.headers.get("authorization") ?? undefined, r.headers.get("accept")]),
      [
        ["/config", undefined, "application/json"],
        ["/uploadURL", "Bearer eyJ.tok.en", "application/json"],
        ["/thumbnail", "Bearer eyJ.tok.en", "application/json"],
      ],
    );
  });

  it("no header at all without a token, and API Gateway's 401 becomes a problem the page explains", async () => {
    refuse = true;
    const api = new ApiClient(base);
    await assert.rejects(api.uploadTicket("image/png"), (err: unknown) => {
      assert.ok(err instanceof ProblemError);
      assert.deepEqual(err.problem, { kind: "api", step: "link", status: 401 });
      return true;
    });
    assert.equal(seen.at(-1)?.headers.get("authorization"), null);
  });
});
