/**
 * The page as people use it, in Debian's Chromium, against the whole local service (`npm start`'s
 * startLocalService: local S3 behind its policy gate, the ASL interpreter, the real handlers).
 */
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import sharp from "sharp";
import { startLocalService } from "../../local/service";
import { isServiceSettings, isUploadTicket } from "../../web/src/guards";
import { jpeg, sceneWithSubject, textFile } from "../fixtures/images";
import { subjectPixels } from "../fixtures/image-inspect";
import { chromiumMissing, launchChromium, recordProgress, screenshot, throttleUpload, warnSkipped } from "./browser";

/** Small, so the over-limit and the large-upload cases need only a few MB. */
const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

const missing = chromiumMissing();
const title = missing ? `e2e: upload page — SKIPPED: ${missing}` : "e2e: upload page in Chromium";

/** Text as read, with the page's no-break spaces made ordinary. */
const plain = (s: string | null): string => (s ?? "").replace(/\u00a0/g, " ");

/** Seeded noise compresses badly: a real JPEG of ~2 bytes per pixel, for a large upload. */
async function noiseJpeg(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let s = 12345;
  for (let i = 0; i < raw.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    raw[i] = s >>> 24;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95, chromaSubsampling: "4:4:4" })
    .toBuffer();
}

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
      warnSkipped("browser tests of the upload page (test/e2e)", missing);
      this.skip();
    }
    dataDir = await mkdtemp(path.join(tmpdir(), "e2e-page-"));
    [service, browser, photo] = await Promise.all([
      startLocalService({
        port: 0,
        s3Port: 0,
        sfnPort: 0,
        dataDir,
        overrides: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) },
      }),
      launchChromium(),
      jpeg(1200, 800),
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
    await open(page);
  });

  afterEach(async () => {
    await context?.close();
    assert.deepEqual(pageErrors.map(String), [], "no uncaught errors in the page");
  });

  async function open(p: Page): Promise<void> {
    if (!service) throw new Error("no service");
    await p.goto(service.appUrl);
    await p.waitForSelector("body[data-ready=true]");
  }

  const notice = (p: Page): ReturnType<Page["locator"]> => p.locator("#thumbnail-notice");
  const uploadButton = (): ReturnType<Page["getByRole"]> => page.getByRole("button", { name: "Upload image" });
  const generateButton = (): ReturnType<Page["getByRole"]> => page.getByRole("button", { name: "Generate Thumbnail" });

  /** The thumbnail as the browser decoded it. */
  async function shownThumbnail(p: Page): Promise<{ width: number; height: number; src: string }> {
    await p.waitForFunction(() => {
      const img = document.getElementById("result-image");
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    return p.evaluate(() => {
      const img = document.getElementById("result-image");
      if (!(img instanceof HTMLImageElement)) throw new Error("no thumbnail");
      return { width: img.naturalWidth, height: img.naturalHeight, src: img.src };
    });
  }

  it("full flow with a real JPEG: preview, upload, 256x256 WebP thumbnail shown with its facts, URL copied", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: service?.appUrl ?? "" });
    await page.setInputFiles("#file-input", { name: "harbour.jpg", mimeType: "image/jpeg", buffer: photo });
    await page.getByText("1200 × 800 px").waitFor();
    assert.equal(await page.locator("#preview-name").textContent(), "harbour.jpg");

    await uploadButton().click();
    await page.getByText("Uploaded harbour.jpg").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "resolution", "focus moves on to the options");

    await page.getByLabel("Resolution").selectOption("256x256");
    await page.getByLabel("WebP").check();
    const response = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    const body: unknown = await (await response).json();
    assert.ok(typeof body === "object" && body !== null && "url" in body && "bytes" in body);

    const shown = await shownThumbnail(page);
    assert.deepEqual([shown.width, shown.height], [256, 171], "fits inside 256x256, aspect ratio kept");
    assert.equal(shown.src, body.url);
    assert.equal(plain(await page.locator("#result-dims").textContent()), "256 × 171 px");
    assert.equal(await page.locator("#result-format").textContent(), "WebP");
    assert.match((await page.locator("#result-bytes").textContent()) ?? "", /^\d+(\.\d)?\s(bytes|KB)$/);
    assert.match((await page.locator("#result-time").textContent()) ?? "", /^\d+(\.\d)?\s(ms|s)/);

    const bytes = Buffer.from(await (await fetch(shown.src)).arrayBuffer());
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 256, 171]);
    assert.equal(body.bytes, bytes.length, "the byte size shown is the file's");

    await page.getByRole("button", { name: "Copy URL" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), body.url);
    await screenshot(page, "full-flow-desktop");
  });

  it("Crop to fill: a 4000x1000 photo with its subject at the right edge, the placeholder painted first, then the 256x256 thumbnail", async () => {
    const scene = await sceneWithSubject(4000, 1000, { cx: 0.94, cy: 0.45, r: 0.1 });
    await page.setInputFiles("#file-input", { name: "panorama.jpg", mimeType: "image/jpeg", buffer: scene });
    await uploadButton().click();
    await page.getByText("Uploaded panorama.jpg").waitFor();

    const focus = page.getByLabel("Crop focus");
    assert.equal(await focus.isVisible(), false, "no crop focus while fitting inside");
    assert.match(plain(await page.locator("#resolution-hint").textContent()), /^Fits inside this box/);
    await page.getByLabel("Crop to fill").check();
    assert.equal(await focus.isVisible(), true);
    assert.equal(await focus.inputValue(), "attention", "the service's default focus first");
    assert.match(plain(await page.locator("#resolution-hint").textContent()), /^Exactly this size, cropped to fill it/);
    await page.getByLabel("Resolution").selectOption("256x256");

    // The thumbnail's bytes are held back until the placeholder has been seen on the page.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/thumbnails\//, async (route) => {
      await held;
      await route.continue();
    });
    const response = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    const answer = await response;
    assert.match(answer.url(), /[?&]fit=cover&position=attention(&|$)/);
    const body: unknown = await answer.json();
    assert.ok(
      typeof body === "object" &&
        body !== null &&
        "placeholder" in body &&
        "url" in body &&
        typeof body.url === "string",
    );
    assert.ok(body.url.endsWith("/256x256-cover-attention.jpg"), body.url);

    await page.waitForFunction(() => {
      const img = document.getElementById("result-placeholder");
      return img instanceof HTMLImageElement && !img.hidden && img.complete && img.naturalWidth > 0;
    });
    const painted = await page.evaluate(() => {
      const placeholder = document.getElementById("result-placeholder");
      const thumb = document.getElementById("result-image");
      if (!(placeholder instanceof HTMLImageElement) || !(thumb instanceof HTMLImageElement)) throw new Error("markup");
      // Inline (no named helper): the test's compiler would wrap a named function in a helper the page lacks.
      const [at = [], thumbAt = []] = [placeholder, thumb].map((el) => {
        const r = el.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height].map(Math.round);
      });
      return {
        src: placeholder.src,
        natural: placeholder.naturalWidth,
        thumbLoaded: thumb.naturalWidth > 0,
        at,
        thumbAt,
      };
    });
    assert.equal(painted.src, body.placeholder, "the answer's placeholder is what is painted");
    assert.equal(painted.natural, 16);
    assert.equal(painted.thumbLoaded, false, "painted before the thumbnail arrived");
    assert.deepEqual(painted.at, painted.thumbAt, "in the very place the thumbnail takes");
    assert.deepEqual(painted.at.slice(2), [256, 256]);
    await screenshot(page, "crop-placeholder-first");

    release();
    const shown = await shownThumbnail(page);
    assert.deepEqual([shown.width, shown.height], [256, 256]);
    assert.equal(await page.locator("#result-placeholder").isVisible(), false, "the thumbnail takes over");
    assert.equal(plain(await page.locator("#result-fit").textContent()), "Crop to fill · Most interesting part");
    assert.ok(
      (await subjectPixels(Buffer.from(await (await fetch(shown.src)).arrayBuffer()))) > 1000,
      "the subject is in the crop",
    );
    await screenshot(page, "crop-result");

    // The same again: a hit, with the same placeholder.
    const again = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    const hit: unknown = await (await again).json();
    assert.ok(typeof hit === "object" && hit !== null && "placeholder" in hit && "cached" in hit);
    assert.deepEqual([hit.cached, hit.placeholder], [true, body.placeholder]);
    await page.locator("#result-time").getByText("served from storage").waitFor();

    // Centre focus: another crop, another object.
    await focus.selectOption("center");
    const centre = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    assert.match((await centre).url(), /[?&]fit=cover&position=center(&|$)/);
    await page.locator("#result-fit").getByText("Crop to fill · Centre").waitFor();
    assert.ok((await shownThumbnail(page)).src.endsWith("/256x256-cover-center.jpg"));

    // Back to Fit inside: no focus offered, none sent.
    await page.getByLabel("Fit inside").check();
    assert.equal(await focus.isVisible(), false);
    const inside = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    const insideUrl = (await inside).url();
    assert.match(insideUrl, /[?&]fit=inside(&|$)/);
    assert.doesNotMatch(insideUrl, /position=/);
    await page.locator("#result-fit").getByText("Fit inside").waitFor();
  });

  it("a file over the size limit is refused before any upload (no request leaves the page)", async () => {
    const requests: Request[] = [];
    page.on("request", (r) => requests.push(r));
    const tooBig = Buffer.concat([photo, Buffer.alloc(MAX_UPLOAD_BYTES + 500_000 - photo.length)]);
    await page.setInputFiles("#file-input", { name: "huge.jpg", mimeType: "image/jpeg", buffer: tooBig });

    const notice = page.locator("#upload-notice");
    await notice.getByText("This file can't be uploaded").waitFor();
    assert.match((await notice.textContent()) ?? "", /“huge\.jpg” is 4\.5\sMB; the limit is 4\sMB\./);
    assert.ok(await uploadButton().isDisabled(), "nothing to upload");
    // A fence instead of a wait: the browser reports requests in the order they are made, so any the
    // page made in reaction to the file shows up before this one, made after the refusal was shown.
    const fence = `${page.url().replace(/\/$/, "")}/config?fence-after-refusal`;
    await page.evaluate(async (url) => void (await fetch(url)), fence);
    assert.equal(requests.at(-1)?.url(), fence, "the fence request was seen");
    assert.deepEqual(
      requests.slice(0, -1).map((r) => `${r.method()} ${r.url()}`),
      [],
      "no /uploadURL, no POST to storage",
    );
    await screenshot(page, "refused-too-large");
  });

  it("an SVG is refused by type before upload; a text file named .png is refused by the service (415)", async () => {
    await page.setInputFiles("#file-input", {
      name: "logo.svg",
      mimeType: "image/svg+xml",
      buffer: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"),
    });
    await page.getByText("“logo.svg” is a file of type SVG (image/svg+xml)").waitFor();

    await page.setInputFiles("#file-input", { name: "notes.png", mimeType: "image/png", buffer: await textFile() });
    assert.equal(await page.locator("#upload-notice").textContent(), "", "the earlier notice is cleared");
    await uploadButton().click();
    await page.getByText("Uploaded notes.png").waitFor();

    const response = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
    await generateButton().click();
    const refused = await response;
    assert.equal(refused.status(), 415);
    const body: unknown = await refused.json();
    assert.ok(typeof body === "object" && body !== null && "error" in body && "requestId" in body);
    const error = body.error;
    assert.ok(typeof error === "object" && error !== null && "message" in error && typeof error.message === "string");

    const notice = page.locator("#thumbnail-notice");
    await notice.getByText("This file isn't an image the service can read").waitFor();
    const text = (await notice.textContent()) ?? "";
    assert.ok(text.includes(`The service said: “${error.message}”`), text);
    assert.ok(text.includes("Error UnsupportedImageType"), text);
    assert.ok(text.includes("HTTP 415"), text);
    assert.ok(text.includes(`Request id ${String(body.requestId)}`), text);
    assert.equal(await page.locator("#result").isVisible(), false);
    await screenshot(page, "refused-unsupported-415");
  });

  it("shows upload progress during a large upload, and the upload can be cancelled", async () => {
    const large = await noiseJpeg(1400, 1000);
    assert.ok(large.length > 2_000_000 && large.length < MAX_UPLOAD_BYTES, `fixture size ${large.length}`);
    await throttleUpload(page, 2_000_000);

    // First attempt: cancelled part-way.
    await page.setInputFiles("#file-input", { name: "noise.jpg", mimeType: "image/jpeg", buffer: large });
    let values = await recordProgress(page);
    const post = page.waitForRequest((r) => r.method() === "POST");
    await uploadButton().click();
    const failed = page.waitForEvent("requestfailed", (r) => r.method() === "POST");
    await post;
    await page.waitForFunction(() => {
      const bar = document.getElementById("progress-bar");
      return bar instanceof HTMLProgressElement && bar.value >= 10;
    });
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      "Cancel upload",
      "focus on Cancel while uploading",
    );
    await screenshot(page, "upload-in-progress");
    await page.getByRole("button", { name: "Cancel upload" }).click();
    await failed;
    await page.locator("#status").getByText("Upload cancelled").waitFor();
    assert.equal(await page.locator("#progress").isVisible(), false);
    assert.equal(await page.locator("#upload-done").isVisible(), false);
    assert.equal(await generateButton().getAttribute("aria-disabled"), "true");
    const cancelledAt = await values();
    assert.ok(
      cancelledAt.some((v) => v > 0 && v < 100),
      `progress moved before the cancel: ${cancelledAt.join(",")}`,
    );
    assert.ok(!cancelledAt.includes(100));

    // Second attempt: runs to the end, through intermediate values.
    values = await recordProgress(page);
    await uploadButton().click();
    await page.getByText("Uploaded noise.jpg").waitFor();
    const seen = await values();
    const intermediate = seen.filter((v) => v > 0 && v < 100);
    assert.ok(intermediate.length >= 3, `several intermediate values: ${seen.join(",")}`);
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      seen,
      "progress only moves forward",
    );
    assert.equal(seen[seen.length - 1], 100);
  });

  it("S3's own refusals of an upload are explained in plain words, with S3's code and message", async () => {
    // The page gets real tickets from the service; one field is altered on the way, as an attacker
    // or a stale cache might, and the real local S3 gate refuses the POST as S3 would.
    let tamper: (ticket: { fields: Record<string, string>; maxUploadBytes: number }) => void = () => undefined;
    await page.route(/\/uploadURL\?/, async (route) => {
      const response = await route.fetch();
      const ticket: unknown = await response.json();
      assert.ok(isUploadTicket(ticket));
      tamper(ticket);
      await route.fulfill({ response, json: ticket });
    });
    const notice = page.locator("#upload-notice");
    const attempt = async (name: string, buffer: Buffer): Promise<string> => {
      await page.setInputFiles("#file-input", { name, mimeType: "image/jpeg", buffer });
      const refused = page.waitForResponse((r) => r.request().method() === "POST");
      await uploadButton().click();
      assert.ok([400, 403].includes((await refused).status()));
      await notice.locator(".notice").waitFor();
      return plain(await notice.textContent());
    };

    tamper = (t) => (t.fields["key"] = "uploads/00000000-0000-4000-8000-000000000000.jpg");
    const otherKey = await attempt("key.jpg", photo);
    assert.ok(otherKey.includes("Storage refused the upload"), otherKey);
    assert.match(otherKey, /Error AccessDenied.*HTTP 403/);
    assert.match(otherKey, /Storage said: “Invalid according to Policy/);

    tamper = (t) => {
      const signature = t.fields["X-Amz-Signature"] ?? "";
      t.fields["X-Amz-Signature"] = `${signature.startsWith("0") ? "1" : "0"}${signature.slice(1)}`;
    };
    const badSignature = await attempt("signature.jpg", photo);
    assert.ok(badSignature.includes("The upload link wasn't accepted"), badSignature);
    assert.match(badSignature, /Error SignatureDoesNotMatch.*HTTP 403/);

    // A page that believes in a larger limit than the signed policy: S3 itself refuses the bytes.
    await page.route(/\/config$/, async (route) => {
      const response = await route.fetch();
      const settings: unknown = await response.json();
      assert.ok(isServiceSettings(settings));
      await route.fulfill({ response, json: { ...settings, maxUploadBytes: 50 * 1024 * 1024 } });
    });
    await open(page);
    tamper = (t) => (t.maxUploadBytes = 50 * 1024 * 1024);
    const tooLarge = await attempt(
      "large.jpg",
      Buffer.concat([photo, Buffer.alloc(MAX_UPLOAD_BYTES + 1 - photo.length)]),
    );
    assert.ok(tooLarge.includes("The file is too large to upload"), tooLarge);
    assert.match(tooLarge, /Error EntityTooLarge.*HTTP 400/);
    assert.equal(await page.locator("#upload-done").isVisible(), false);
    await screenshot(page, "refused-by-storage");
  });

  it("a 503 says when to try again (Retry-After); Try again works once storage is back", async () => {
    if (!service) throw new Error("no service");
    await page.setInputFiles("#file-input", { name: "busy.jpg", mimeType: "image/jpeg", buffer: photo });
    await uploadButton().click();
    await page.getByText("Uploaded busy.jpg").waitFor();

    const outage = service.s3.faults.add({ keyPrefix: "uploads/", status: 503, code: "SlowDown" });
    try {
      const response = page.waitForResponse((r) => r.url().includes("/thumbnail?"));
      await generateButton().click();
      const busy = await response;
      assert.equal(busy.status(), 503);
      const retryAfter = Number(await busy.headerValue("retry-after"));
      assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, `Retry-After: ${retryAfter}`);
      const notice = page.locator("#thumbnail-notice");
      await notice.getByText("The service is busy right now").waitFor();
      const text = plain(await notice.textContent());
      assert.ok(text.includes(`Try again in ${retryAfter} second`), text);
      assert.match(text, /Error ServiceUnavailable.*HTTP 503.*Request id \S+/);
      assert.ok(outage.hits > 0, "the workflow really met the outage");
      await screenshot(page, "busy-503");
    } finally {
      outage.remove();
    }
    await notice(page).getByRole("button", { name: "Try again" }).click();
    const shown = await shownThumbnail(page);
    assert.deepEqual([shown.width, shown.height], [256, 171]);
    assert.equal(await page.locator("#thumbnail-notice").textContent(), "", "the notice is gone");
  });

  it("settings that fail to load are explained, and Try again recovers", async () => {
    let failures = 0;
    await page.route(/\/config$/, async (route) => {
      failures += 1;
      await route.fulfill({ status: 502, json: { message: "Internal Server Error" } }); // API Gateway's own body
    });
    await page.goto(service?.appUrl ?? "");
    const notice = page.locator("#upload-notice");
    await notice.getByText("The service couldn't load its settings").waitFor();
    assert.ok(plain(await notice.textContent()).includes("HTTP 502"));
    assert.ok(await page.getByRole("button", { name: "Choose File" }).isDisabled(), "nothing to do without settings");
    assert.equal(failures, 1);

    await page.unroute(/\/config$/);
    await notice.getByRole("button", { name: "Try again" }).click();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await notice.textContent(), "");
    assert.ok(await page.getByRole("button", { name: "Choose File" }).isEnabled());
  });

  it("drag and drop chooses the file", async () => {
    const dataTransfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], "dropped.jpg", { type: "image/jpeg" }));
      return dt;
    }, photo.toString("base64"));
    await page.dispatchEvent("#dropzone", "dragenter", { dataTransfer });
    assert.ok(await page.locator("#dropzone.is-dragging").isVisible(), "the drop zone lights up");
    await page.dispatchEvent("#dropzone", "drop", { dataTransfer });
    await page.getByText("1200 × 800 px").waitFor();
    assert.equal(await page.locator("#preview-name").textContent(), "dropped.jpg");
    assert.ok(await uploadButton().isEnabled());
  });

  it("keyboard only: Tab, Enter, Space and arrows through the whole flow", async () => {
    const focused = (): Promise<string> =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!el) return "";
        if (el instanceof HTMLInputElement && el.type === "radio") return `radio:${el.value}`;
        return el.id || el.textContent?.trim() || el.tagName;
      });
    // Listen first: Playwright turns on file-chooser interception asynchronously.
    const chooser = page.waitForEvent("filechooser");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "Skip to content");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "choose-button");
    await page.keyboard.press("Enter");
    await (await chooser).setFiles({ name: "keyboard.jpg", mimeType: "image/jpeg", buffer: photo });
    await page.getByText("1200 × 800 px").waitFor();

    await page.keyboard.press("Tab");
    assert.equal(await focused(), "upload-button");
    await page.keyboard.press("Enter");
    await page.getByText("Uploaded keyboard.jpg").waitFor();
    assert.equal(await focused(), "resolution");
    assert.equal(await page.locator("#resolution").inputValue(), "256x256");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.locator("#resolution").inputValue(), "512x512");

    await page.keyboard.press("Tab");
    assert.equal(await focused(), "radio:jpeg");
    await page.keyboard.press("ArrowRight");
    assert.equal(await focused(), "radio:png");
    assert.ok(await page.getByLabel("PNG").isChecked());

    await page.keyboard.press("Tab");
    assert.equal(await focused(), "radio:inside", "then the fit, Fit inside by default");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "generate-button", "no crop focus to pass: it is offered with Crop to fill only");
    await page.keyboard.press("Space");
    const shown = await shownThumbnail(page);
    assert.deepEqual([shown.width, shown.height], [512, 341]);
    assert.equal(await focused(), "result-title", "focus lands on the result");
    const meta = await sharp(Buffer.from(await (await fetch(shown.src)).arrayBuffer())).metadata();
    assert.equal(meta.format, "png");

    await page.keyboard.press("Tab");
    assert.equal(await focused(), "result-url");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "copy-button");
    await page.keyboard.press("Enter"); // no clipboard permission here: the URL gets selected instead
    await page
      .locator("#status")
      .getByText(/copied|Couldn't copy/)
      .waitFor();
    await screenshot(page, "keyboard-flow");
  });

  it("phone width (375 px): no sideways scrolling, everything reachable", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await screenshot(page, "phone-empty");
    await page.setInputFiles("#file-input", { name: "phone-photo.jpg", mimeType: "image/jpeg", buffer: photo });
    await uploadButton().click();
    await page.getByText("Uploaded phone-photo.jpg").waitFor();
    await generateButton().click();
    await shownThumbnail(page);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.doc <= widths.view, `no horizontal overflow: ${widths.doc} > ${widths.view}`);
    for (const id of ["choose-button", "upload-button", "resolution", "generate-button", "copy-button"]) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${id} inside the screen`);
      assert.ok(box.height >= 36, `${id} is a comfortable touch target`);
    }
    await screenshot(page, "phone-result");
  });
});
