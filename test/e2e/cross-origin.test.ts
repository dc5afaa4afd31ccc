/**
 * A frontend on another origin, in Chromium, against the local app with sign-in on: the browser's
 * own CORS checks decide what its script may read. It may send Authorization (preflight), read
 * x-request-id on a success and the status of a 401; a page on an origin not allowed reads nothing.
 */
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { LOCAL_ISSUER_DEFAULT_AUDIENCE } from "../../local/auth/settings";
import { startLocalService } from "../../local/service";
import { chromiumMissing, launchChromium, warnSkipped } from "./browser";

const missing = chromiumMissing();
const title = missing
  ? `e2e: cross-origin frontend — SKIPPED: ${missing}`
  : "e2e: a frontend on another origin (Chromium)";

/** A blank page on its own origin, standing in for someone's web app. */
async function startFrontend(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>another app</title><p>another app</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface Seen {
  ok: boolean;
  status?: number;
  requestId?: string | null;
  retryAfter?: string | null;
  body?: string;
  error?: string;
}

/** fetch from inside the page, so the browser applies CORS to what the script sees. */
function fetchFromPage(page: Page, url: string, token?: string): Promise<Seen> {
  return page.evaluate(
    async ([target, bearer]) => {
      try {
        const res = await fetch(target, bearer ? { headers: { Authorization: `Bearer ${bearer}` } } : {});
        return {
          ok: true,
          status: res.status,
          requestId: res.headers.get("x-request-id"),
          retryAfter: res.headers.get("retry-after"),
          body: await res.text(),
        };
      } catch (err) {
        return { ok: false, error: String(err) };
      }
    },
    [url, token] as const,
  );
}

describe(title, function () {
  this.timeout(60_000);
  let service: Awaited<ReturnType<typeof startLocalService>> | undefined;
  let dataDir: string | undefined;
  let browser: Browser | undefined;
  let allowed: { origin: string; server: Server } | undefined;
  let other: { origin: string; server: Server } | undefined;

  before(async function () {
    if (missing) {
      warnSkipped("browser tests of a cross-origin frontend (test/e2e)", missing);
      this.skip();
    }
    dataDir = await mkdtemp(path.join(tmpdir(), "e2e-cors-"));
    [allowed, other] = await Promise.all([startFrontend(), startFrontend()]);
    [service, browser] = await Promise.all([
      startLocalService({
        port: 0,
        s3Port: 0,
        sfnPort: 0,
        dataDir,
        overrides: { ALLOWED_ORIGINS: allowed.origin },
        auth: { issuer: "local", audiences: [LOCAL_ISSUER_DEFAULT_AUDIENCE] },
      }),
      launchChromium(),
    ]);
  });

  after(async () => {
    await browser?.close();
    await service?.close();
    for (const frontend of [allowed, other])
      await new Promise<void>((resolve) => (frontend ? frontend.server.close(() => resolve()) : resolve()));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function pageOn(origin: string): Promise<Page> {
    if (!browser) throw new Error("no browser");
    const page = await (await browser.newContext()).newPage();
    await page.goto(origin);
    return page;
  }

  async function token(user: string): Promise<string> {
    const res = await fetch(`${service?.appUrl ?? ""}/_local/issuer/sign-in`, {
      method: "POST",
      body: JSON.stringify({ user }),
    });
    const body: unknown = await res.json();
    assert.ok(typeof body === "object" && body !== null && "token" in body && typeof body.token === "string");
    return body.token;
  }

  it("an allowed origin sends Authorization and reads x-request-id, and can read a 401 for what it is", async () => {
    if (!allowed || !service) throw new Error("not started");
    const page = await pageOn(allowed.origin);
    const appUrl = service.appUrl;

    const settings = page.waitForResponse((r) => r.url().endsWith("/config"));
    const config = await fetchFromPage(page, `${appUrl}/config`);
    assert.equal(config.status, 200, JSON.stringify(config));
    assert.match(config.requestId ?? "", /^[A-Za-z0-9_-]+$/, "the script reads x-request-id");
    assert.equal(
      config.requestId,
      await (await settings).headerValue("x-request-id"),
      "the very header the service sent",
    );

    const ticket = await fetchFromPage(page, `${appUrl}/uploadURL?contentType=image/png`, await token("erin"));
    assert.equal(ticket.status, 200, JSON.stringify(ticket));
    assert.ok(ticket.requestId, "readable after a preflight for Authorization");

    const refused = await fetchFromPage(page, `${appUrl}/uploadURL`);
    assert.deepEqual(
      [refused.ok, refused.status, refused.body],
      [true, 401, '{"message":"Unauthorized"}'],
      "a 401, not a network error",
    );
  });

  it("an origin that is not allowed reads nothing: the browser blocks the answer", async () => {
    if (!other || !service) throw new Error("not started");
    const page = await pageOn(other.origin);
    const config = await fetchFromPage(page, `${service.appUrl}/config`);
    assert.equal(config.ok, false, JSON.stringify(config));
    assert.match(config.error ?? "", /TypeError/);
  });
});
