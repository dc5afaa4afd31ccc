/**
 * The page's flow: settings -> choose -> check -> upload (progress, cancel) -> generate -> result.
 * Focus is moved deliberately at each step so keyboard and screen-reader users never land on <body>.
 */
import { ApiClient, loadRuntimeConfig } from "./api";
import { acceptedTypesText, checkFile } from "./checks";
import { wireFilePicker } from "./file-picker";
import { formatBytes, formatResolution } from "./format";
import type { ServiceSettings } from "./guards";
import { clearNotice, showNotice, type NoticeAction } from "./notice-view";
import { explain, ProblemError, type NoticeContext, type Problem } from "./problems";
import { setUpSignIn } from "./sign-in";
import { uploadFile, UploadCancelled, type UploadHandle } from "./upload";
import {
  announce,
  selectedFit,
  selectedFormat,
  selectedPosition,
  showOptions,
  showPreview,
  showProgress,
  showResult,
  showThumbnailLoaded,
  ui,
} from "./views";

interface Ready {
  api: ApiClient;
  settings: ServiceSettings;
  /** The page's own sign-in (local dev issuer), when it offers one. */
  signIn: { offered: boolean; focus(): void };
}

/** A file the page itself refuses (before any byte is sent). */
class FileRefused extends Error {
  override readonly name = "FileRefused";
}

let ready: Ready | undefined;
let chosen: File | undefined;
let uploaded: { imageName: string; file: File } | undefined;
let uploading: { cancelled: boolean; handle?: UploadHandle } | undefined;
let generating = false;

function context(): NoticeContext {
  return {
    acceptedTypes: acceptedTypesText(ready?.settings.uploadContentTypes ?? []),
    maxUploadBytes: ready?.settings.maxUploadBytes ?? 0,
  };
}

function problemOf(err: unknown, fallback: Problem): Problem {
  return err instanceof ProblemError ? err.problem : fallback;
}

/** After a 401, a way to the page's sign-in, when it has one. */
function signInAction(problem: Problem): NoticeAction | undefined {
  if (problem.kind !== "api" || problem.status !== 401 || !ready?.signIn.offered) return undefined;
  const signIn = ready.signIn;
  return { label: "Go to sign-in", run: () => signIn.focus() };
}

async function start(): Promise<void> {
  clearNotice(ui.uploadNotice);
  ui.fileRules.textContent = "Loading the service's settings…";
  try {
    const runtime = await loadRuntimeConfig();
    const signIn = setUpSignIn(runtime, announce);
    const api = new ApiClient(runtime.apiBaseUrl, signIn.token);
    const settings = await api.settings();
    ready = { api, settings, signIn };
    const rules = `${acceptedTypesText(settings.uploadContentTypes)}, up to ${formatBytes(settings.maxUploadBytes)}.`;
    showOptions(settings, rules);
    ui.chooseButton.disabled = false;
    document.body.dataset["ready"] = "true";
  } catch (err) {
    console.error(err);
    ui.fileRules.textContent = "The page can't be used until the service's settings load.";
    showNotice(ui.uploadNotice, explain(problemOf(err, { kind: "network", step: "settings" }), context()), {
      label: "Try again",
      run: () => void start(),
    });
  }
}

function setGenerateEnabled(enabled: boolean): void {
  // aria-disabled, not disabled: the button stays in the tab order and can say why it does nothing.
  ui.generateButton.setAttribute("aria-disabled", String(!enabled));
}

function choose(file: File, extraCount: number): void {
  if (!ready || uploading) return;
  clearNotice(ui.uploadNotice);
  clearNotice(ui.thumbnailNotice);
  ui.uploadDone.hidden = true;
  ui.result.hidden = true;
  uploaded = undefined;
  setGenerateEnabled(false);
  ui.generateHint.textContent = "Upload an image first.";

  const check = checkFile(file, ready.settings);
  if (!check.ok) {
    chosen = undefined;
    showPreview(undefined);
    ui.uploadButton.disabled = true;
    showNotice(ui.uploadNotice, { title: "This file can't be uploaded", advice: check.message });
    return;
  }
  chosen = file;
  showPreview(file);
  ui.uploadButton.disabled = false;
  const extra = extraCount > 0 ? ` Only one image at a time, so the other ${extraCount} were left out.` : "";
  announce(`Selected ${file.name}, ${formatBytes(file.size)}. Next: Upload image.${extra}`);
}

async function upload(): Promise<void> {
  const file = chosen;
  if (!ready || !file || uploading) return;
  const job: { cancelled: boolean; handle?: UploadHandle } = { cancelled: false };
  uploading = job;
  clearNotice(ui.uploadNotice);
  showProgress(0, file.size);
  ui.progress.hidden = false;
  ui.cancelButton.focus(); // before disabling the focused button, so focus is never lost
  ui.uploadButton.disabled = true;
  ui.chooseButton.disabled = true;
  announce(`Uploading ${file.name}…`);
  try {
    const ticket = await ready.api.uploadTicket(file.type);
    if (job.cancelled) throw new UploadCancelled();
    // The link may carry a lower limit than /config said (a config change since the page loaded).
    const recheck = checkFile(file, { ...ready.settings, maxUploadBytes: ticket.maxUploadBytes });
    if (!recheck.ok) throw new FileRefused(recheck.message);
    job.handle = uploadFile(ticket, file, showProgress);
    await job.handle.done;
    uploaded = { imageName: ticket.imageName, file };
    ui.uploadDone.textContent = `Uploaded ${file.name}. Now choose a size and format below.`;
    ui.uploadDone.hidden = false;
    ui.generateHint.textContent = `Ready to make a thumbnail of ${file.name}.`;
    setGenerateEnabled(true);
    ui.progress.hidden = true;
    ui.resolution.focus();
    announce(`Upload complete. Choose a resolution and a format, then select Generate Thumbnail.`);
  } catch (err) {
    ui.progress.hidden = true;
    ui.uploadButton.disabled = false;
    ui.uploadButton.focus();
    if (err instanceof UploadCancelled) {
      announce("Upload cancelled. The image was not stored.");
    } else if (err instanceof FileRefused) {
      showNotice(ui.uploadNotice, { title: "This file can't be uploaded", advice: err.message });
    } else {
      console.error(err);
      const problem = problemOf(err, { kind: "network", step: "upload" });
      showNotice(ui.uploadNotice, explain(problem, context()), signInAction(problem));
    }
  } finally {
    uploading = undefined;
    ui.chooseButton.disabled = false;
  }
}

function cancelUpload(): void {
  if (!uploading) return;
  uploading.cancelled = true;
  uploading.handle?.abort();
}

const RETRYABLE = new Set(["SourceChanged", "ServiceUnavailable", "WorkflowTimeout", "InternalError"]);

async function generate(): Promise<void> {
  if (!ready || generating) return;
  const source = uploaded;
  if (!source) {
    showNotice(ui.thumbnailNotice, {
      title: "Upload an image first",
      advice: "Choose a file and select Upload image; then you can make thumbnails of it.",
    });
    return;
  }
  const res = ui.resolution.value;
  const format = selectedFormat();
  const fit = selectedFit();
  if (!format || !fit) return;
  const position = selectedPosition();
  generating = true;
  clearNotice(ui.thumbnailNotice);
  ui.generateButton.setAttribute("aria-busy", "true");
  setGenerateEnabled(false);
  ui.generateHint.textContent = `Making a ${formatResolution(res)} ${format.toUpperCase()} thumbnail${fit === "cover" ? ", cropped to fill" : ""}…`;
  announce("Generating the thumbnail…");
  const started = performance.now();
  try {
    const result = await ready.api.thumbnail({
      imageName: source.imageName,
      res,
      format,
      fit,
      ...(position ? { position } : {}),
    });
    const elapsed = performance.now() - started;
    showResult(result, elapsed, source.file.name);
    ui.resultTitle.focus();
    announce(`Thumbnail ready: ${result.width} × ${result.height} pixels, ${formatBytes(result.bytes)}.`);
  } catch (err) {
    console.error(err);
    const problem = problemOf(err, { kind: "network", step: "thumbnail" });
    const code = problem.kind === "api" ? problem.code : undefined;
    const retry = problem.kind === "network" || (code !== undefined && RETRYABLE.has(code));
    showNotice(
      ui.thumbnailNotice,
      explain(problem, context()),
      retry ? { label: "Try again", run: () => void generate() } : signInAction(problem),
    );
  } finally {
    generating = false;
    ui.generateButton.removeAttribute("aria-busy");
    setGenerateEnabled(true);
    ui.generateHint.textContent = `Ready to make a thumbnail of ${source.file.name}.`;
  }
}

async function copyUrl(): Promise<void> {
  const url = ui.resultUrl.value;
  try {
    await navigator.clipboard.writeText(url);
    ui.copyButton.textContent = "Copied";
    announce("Thumbnail URL copied to the clipboard.");
    window.setTimeout(() => (ui.copyButton.textContent = "Copy URL"), 2000);
  } catch {
    // No clipboard permission (or an insecure origin): select the text so one keystroke copies it.
    ui.resultUrl.focus();
    ui.resultUrl.select();
    announce("Couldn't copy automatically. The URL is selected: press Control C, or Command C on a Mac.");
  }
}

wireFilePicker({ button: ui.chooseButton, input: ui.fileInput, zone: ui.dropzone, onFile: choose });
ui.uploadButton.addEventListener("click", () => void upload());
ui.cancelButton.addEventListener("click", cancelUpload);
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && uploading) cancelUpload();
});
ui.generateButton.addEventListener("click", () => void generate());
ui.copyButton.addEventListener("click", () => void copyUrl());
ui.resultImage.addEventListener("load", showThumbnailLoaded);
ui.resultImage.addEventListener("error", () => {
  if (ui.result.hidden) return;
  showNotice(ui.thumbnailNotice, {
    title: "The thumbnail was made but can't be shown here",
    advice: "Its address may not be reachable from this network. The URL is below; try opening it.",
  });
});
void start();

// Marks this file an ES module: in a "type": "commonjs" package esbuild would otherwise wrap the
// whole bundle in CommonJS shims.
export {};
