/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), plus the artifacts folder.
 * When Chromium is absent the suites say so loudly and skip; they never pass silently.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** `apt-get install chromium` puts it here; CHROMIUM_PATH overrides for other systems. */
export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

export const ARTIFACTS_DIR = path.resolve(__dirname, "..", "..", "test-artifacts", "e2e");

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `Chromium not found at ${CHROMIUM_PATH} (install it: apt-get install -y chromium; .ci/run does)`;
}

export function warnSkipped(suite: string, why: string): void {
  const line = "=".repeat(78);
  console.warn(`\n${line}\n  SKIPPED: ${suite}\n  why: ${why}\n  The browser tests did NOT run.\n${line}\n`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
  return file;
}

/** Limits the page's upload speed through CDP, so progress is observable on a loopback connection. */
export async function throttleUpload(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

/** Records every value the progress bar shows, from inside the page. */
export async function recordProgress(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const bar = document.getElementById("progress-bar");
    const seen: number[] = [];
    Object.assign(window, { __progress: seen });
    if (!(bar instanceof HTMLProgressElement)) throw new Error("no progress bar");
    new MutationObserver(() => seen.push(bar.value)).observe(bar, { attributes: true, attributeFilter: ["value"] });
  });
  return () =>
    page.evaluate(() =>
      "__progress" in window && Array.isArray(window.__progress) ? window.__progress.map(Number) : [],
    );
}
