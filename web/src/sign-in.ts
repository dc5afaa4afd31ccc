/**
 * Sign-in on the page. An embedding app's hook (auth.ts) always wins; without one, when local mode
 * runs its dev issuer (runtime-config.json `auth.devSignInUrl`), the page offers its dev sign-in: a
 * user name, no password, a token kept in memory only (a reload signs out).
 */
import { isThumbnailAuth, tokenSource, type TokenSource } from "./auth";
import { byId } from "./dom";
import { isSignedIn, type RuntimeConfig, type SignedIn } from "./guards";
import { clearNotice, showNotice } from "./notice-view";

const ui = {
  section: byId("sign-in", HTMLElement),
  form: byId("sign-in-form", HTMLFormElement),
  name: byId("sign-in-name", HTMLInputElement),
  button: byId("sign-in-button", HTMLButtonElement),
  signedIn: byId("signed-in", HTMLElement),
  signedInText: byId("signed-in-text", HTMLElement),
  signOut: byId("sign-out-button", HTMLButtonElement),
  notice: byId("sign-in-notice", HTMLElement),
};

let session: SignedIn | undefined;

function render(): void {
  ui.form.hidden = session !== undefined;
  ui.signedIn.hidden = session === undefined;
  ui.signedInText.textContent = session ? `Signed in as ${session.user}.` : "";
}

async function signIn(url: string, announce: (message: string) => void): Promise<void> {
  const user = ui.name.value.trim();
  clearNotice(ui.notice);
  ui.button.disabled = true;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user }),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok || !isSignedIn(body)) {
      const message =
        typeof body === "object" && body !== null && "message" in body ? String(body.message) : `HTTP ${res.status}`;
      showNotice(ui.notice, {
        title: "Couldn't sign in",
        advice: `Use letters, digits or . _ @ - (up to 64). The sign-in said: ${message}`,
      });
      ui.name.focus();
      return;
    }
    session = body;
    render();
    ui.signOut.focus();
    announce(`Signed in as ${body.user}.`);
  } catch {
    showNotice(ui.notice, {
      title: "Couldn't reach the sign-in",
      advice: "Check that the local service is still running, then try again.",
    });
  } finally {
    ui.button.disabled = false;
  }
}

/**
 * Wires the sign-in and returns where the API client gets its token. `focus()` moves the user to
 * the sign-in (to sign in, or out and in as someone else) after a request was refused for want of one.
 */
export function setUpSignIn(
  runtime: RuntimeConfig,
  announce: (message: string) => void,
): { token: TokenSource; offered: boolean; focus(): void } {
  const devUrl = runtime.auth?.devSignInUrl;
  // The host's sign-in is the user's real one; the dev sign-in is only offered without it.
  const offerDev = devUrl !== undefined && !isThumbnailAuth(window.thumbnailAuth);
  ui.section.hidden = !offerDev;
  if (offerDev) {
    render();
    ui.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void signIn(devUrl, announce);
    });
    ui.signOut.addEventListener("click", () => {
      session = undefined;
      render();
      ui.name.focus();
      announce("Signed out.");
    });
  }
  return {
    token: tokenSource(
      () => window.thumbnailAuth,
      async () => session?.token,
    ),
    offered: offerDev,
    focus: () => {
      if (!offerDev) return;
      if (session) ui.signOut.focus();
      else ui.name.focus();
    },
  };
}
