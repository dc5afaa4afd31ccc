/**
 * Sign-in in Chromium, against the whole local service with JWT_ISSUER=local (the dev issuer inside
 * the app): a new user's first upload is refused and the 401 is explained; signed in, the upload and
 * the thumbnail work; another user cannot make a thumbnail of it; an embedding app's token hook is
 * used instead of the dev sign-in.
 */
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { LOCAL_ISSUER_DEFAULT_AUDIENCE } from "../../local/auth/settings";
import { startLocalService } from "../../local/service";
import { jpeg } from "../fixtures/images";
import { chromiumMissing, launchChromium, screenshot, warnSkipped } from "./browser";

const missing = chromiumMissing();
const title = missing ? `e2e: sign-in — SKIPPED: ${missing}` : "e2e: sign-in (JWT_ISSUER=local) in Chromium";

const plain = (s: string | null): string => (s ?? "").replace(/\u00a0/g, " ");

describe(title, function () {
  this.timeout(60_000);
  let service: Awaited<ReturnType<typeof startLocalService>> | undefined;
  let dataDir: string | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: Error[];
  let photo: Buffer;

  before(async function () {
    if (missing) {
      warnSkipped("browser tests of sign-in (test/e2e)", missing);
      this.skip();
    }
    dataDir = await mkdtemp(path.join(tmpdir(), "e2e-sign-in-"));
    [service, browser, photo] = await Promise.all([
      startLocalService({
        port: 0,
        s3Port: 0,
        sfnPort: 0,
        dataDir,
        auth: { issuer: "local", audiences: [LOCAL_ISSUER_DEFAULT_AUDIENCE] },
      }),
      launchChromium(),
      jpeg(900, 600),
    ]);
  });

  after(async () => {
    await browser?.close();
    await service?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(async function () {
    if (!browser || !service) return this.skip();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    pageErrors = [];
    page.on("pageerror", (err) => pageErrors.push(err));
  });

  afterEach(async () => {
    await context?.close();
    assert.deepEqual(pageErrors.map(String), [], "no uncaught errors in the page");
  });

  async function open(p: Page): Promise<void> {
    await p.goto(service?.appUrl ?? "");
    await p.waitForSelector("body[data-ready=true]");
  }

  const uploadButton = (): ReturnType<Page["getByRole"]> => page.getByRole("button", { name: "Upload image" });
  const generateButton = (): ReturnType<Page["getByRole"]> => page.getByRole("button", { name: "Generate Thumbnail" });

  async function signIn(user: string): Promise<void> {
    await page.getByLabel("User name").fill(user);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The visible line, not the status region: that one announces the same words 50 ms later, and a
    // page-wide match would see two elements or one depending on when it looked.
    await page.locator("#signed-in-text").getByText(`Signed in as ${user}.`).waitFor();
  }

  it("a new user: upload refused and explained, sign in, upload, thumbnail; another user gets 404 for it", async () => {
    await open(page);
    const signInSection = page.getByRole("region", { name: "Sign in" });
    assert.ok(await signInSection.isVisible(), "the dev sign-in is offered");

    // Not signed in: /uploadURL is API Gateway's 401, explained in plain words.
    await page.setInputFiles("#file-input", { name: "harbour.jpg", mimeType: "image/jpeg", buffer: photo });
    const refusedTicket = page.waitForResponse((r) => r.url().includes("/uploadURL"));
    await uploadButton().click();
    const refused = await refusedTicket;
    assert.equal(refused.status(), 401);
    assert.deepEqual(await refused.json(), { message: "Unauthorized" });
    const uploadNotice = page.locator("#upload-notice");
    await uploadNotice.getByText("Sign in to upload images").waitFor();
    const explained = plain(await uploadNotice.textContent());
    assert.ok(explained.includes("you aren't signed in, or your sign-in has expired"), explained);
    assert.ok(explained.includes("HTTP 401"), explained);
    await screenshot(page, "sign-in-401-explained");
    await uploadNotice.getByRole("button", { name: "Go to sign-in" }).click();
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      "sign-in-name",
      "the notice leads to the sign-in",
    );

    // Signed in as alice: the page sends her token, the upload and the thumbnail work.
    await signIn("alice");
    const ticketRequest = page.waitForRequest((r) => r.url().includes("/uploadURL"));
    await uploadButton().click();
    assert.match((await ticketRequest).headers()["authorization"] ?? "", /^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    await page.getByText("Uploaded harbour.jpg").waitFor();
    assert.equal(await uploadNotice.textContent(), "", "the 401 notice is gone");

    await page.getByLabel("Resolution").selectOption("256x256");
    const made = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    assert.equal((await made).status(), 200);
    await page.getByRole("heading", { name: "Your thumbnail" }).waitFor();
    await screenshot(page, "sign-in-alice-thumbnail");

    // Bob, on the same page with alice's upload still chosen: it is not his, so it is not found.
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn("bob");
    const notHis = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    const answer = await notHis;
    assert.equal(answer.status(), 404);
    const body: unknown = await answer.json();
    assert.ok(typeof body === "object" && body !== null && "error" in body);
    assert.deepEqual(Object.keys(body).sort(), ["error", "requestId"]);
    const thumbnailNotice = page.locator("#thumbnail-notice");
    await thumbnailNotice.getByText("The uploaded image can't be found").waitFor();
    assert.ok(plain(await thumbnailNotice.textContent()).includes("Error ImageNotFound"));
    await screenshot(page, "sign-in-bob-404");
  });

  it("a thumbnail request without sign-in is explained too", async () => {
    await open(page);
    await signIn("carol");
    await page.setInputFiles("#file-input", { name: "carol.jpg", mimeType: "image/jpeg", buffer: photo });
    await uploadButton().click();
    await page.getByText("Uploaded carol.jpg").waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();

    const response = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    assert.equal((await response).status(), 401);
    const notice = page.locator("#thumbnail-notice");
    await notice.getByText("Sign in to make thumbnails").waitFor();
    assert.equal(await page.locator("#result").isVisible(), false);
  });

  it("an embedding app's hook (window.thumbnailAuth) supplies the token; the dev sign-in is not offered", async () => {
    if (!service) throw new Error("no service");
    // The host app signed its user in elsewhere; here, a token from the dev issuer stands in for it.
    const signed = await fetch(`${service.appUrl}/_local/issuer/sign-in`, {
      method: "POST",
      body: JSON.stringify({ user: "dave" }),
    });
    const { token } = (await signed.json()) as { token: string };
    // As text: a function passed here would carry the test runner's transpiler helpers into the page.
    await page.addInitScript({
      content: `window.__tokenAsked = 0;
        window.thumbnailAuth = { getToken: async () => { window.__tokenAsked += 1; return ${JSON.stringify(token)}; } };`,
    });
    await open(page);
    assert.equal(await page.locator("#sign-in").isVisible(), false, "the host signs users in, not the page");

    await page.setInputFiles("#file-input", { name: "dave.jpg", mimeType: "image/jpeg", buffer: photo });
    const ticketRequest = page.waitForRequest((r) => r.url().includes("/uploadURL"));
    await uploadButton().click();
    assert.equal((await ticketRequest).headers()["authorization"], `Bearer ${token}`);
    await page.getByText("Uploaded dave.jpg").waitFor();
    const made = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    const answer = await made;
    assert.equal(answer.status(), 200);
    assert.equal(answer.request().headers()["authorization"], `Bearer ${token}`);
    assert.equal(
      await page.evaluate(() => ("__tokenAsked" in window ? Number(window.__tokenAsked) : 0)),
      2,
      "asked once per request",
    );
  });
});
