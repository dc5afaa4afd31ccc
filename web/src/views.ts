/** The page's display pieces: preview, progress, options, result. No flow logic here. */
import { byId, h } from "./dom";
import {
  fitName,
  formatBytes,
  formatDuration,
  formatName,
  formatResolution,
  NBSP,
  positionName,
  typeName,
} from "./format";
import type { ServiceSettings, ThumbnailResult } from "./guards";
import { shownWidth } from "./sizing";

export const ui = {
  chooseButton: byId("choose-button", HTMLButtonElement),
  fileInput: byId("file-input", HTMLInputElement),
  dropzone: byId("dropzone", HTMLElement),
  fileRules: byId("file-rules", HTMLElement),
  preview: byId("preview", HTMLElement),
  previewImage: byId("preview-image", HTMLImageElement),
  previewName: byId("preview-name", HTMLElement),
  previewMeta: byId("preview-meta", HTMLElement),
  uploadButton: byId("upload-button", HTMLButtonElement),
  uploadDone: byId("upload-done", HTMLElement),
  uploadNotice: byId("upload-notice", HTMLElement),
  progress: byId("progress", HTMLElement),
  progressBar: byId("progress-bar", HTMLProgressElement),
  progressText: byId("progress-text", HTMLElement),
  cancelButton: byId("cancel-button", HTMLButtonElement),
  resolution: byId("resolution", HTMLSelectElement),
  resolutionHint: byId("resolution-hint", HTMLElement),
  formats: byId("formats", HTMLElement),
  fits: byId("fits", HTMLElement),
  positionField: byId("position-field", HTMLElement),
  position: byId("position", HTMLSelectElement),
  generateButton: byId("generate-button", HTMLButtonElement),
  generateHint: byId("generate-hint", HTMLElement),
  thumbnailNotice: byId("thumbnail-notice", HTMLElement),
  result: byId("result", HTMLElement),
  resultTitle: byId("result-title", HTMLElement),
  resultImage: byId("result-image", HTMLImageElement),
  resultPlaceholder: byId("result-placeholder", HTMLImageElement),
  resultDims: byId("result-dims", HTMLElement),
  resultBytes: byId("result-bytes", HTMLElement),
  resultFormat: byId("result-format", HTMLElement),
  resultFit: byId("result-fit", HTMLElement),
  resultTime: byId("result-time", HTMLElement),
  resultUrl: byId("result-url", HTMLInputElement),
  resultOpen: byId("result-open", HTMLAnchorElement),
  copyButton: byId("copy-button", HTMLButtonElement),
  status: byId("status", HTMLElement),
};

/** Says `message` through the polite live region (cleared first so a repeat is announced again). */
export function announce(message: string): void {
  ui.status.textContent = "";
  window.setTimeout(() => {
    ui.status.textContent = message;
  }, 50);
}

export function showOptions(settings: ServiceSettings, rulesText: string): void {
  ui.fileRules.textContent = rulesText;
  ui.fileInput.accept = settings.uploadContentTypes.join(",");

  const preferred = settings.resolutions.includes("256x256")
    ? "256x256"
    : settings.resolutions[Math.floor(settings.resolutions.length / 2)];
  ui.resolution.replaceChildren(
    ...settings.resolutions.map((res) => {
      const option = h("option", { text: formatResolution(res) });
      option.value = res;
      option.selected = res === preferred;
      return option;
    }),
  );

  const defaultFormat =
    settings.defaultFormat && settings.formats.includes(settings.defaultFormat)
      ? settings.defaultFormat
      : settings.formats[0];
  ui.formats.replaceChildren(
    ...settings.formats.map((format) => {
      const input = h("input");
      input.type = "radio";
      input.name = "format";
      input.value = format;
      input.id = `format-${format}`;
      input.checked = format === defaultFormat;
      const label = h("label", { text: formatName(format) });
      label.htmlFor = input.id;
      return h("span", { className: "segment" }, input, label);
    }),
  );
  showFitOptions(settings);
}

export function selectedFormat(): string | undefined {
  const checked = ui.formats.querySelector<HTMLInputElement>('input[name="format"]:checked');
  return checked?.value;
}

const HINTS: Record<string, string> = {
  inside: "Fits inside this box, keeps its proportions, never enlarged.",
  cover:
    "Exactly this size, cropped to fill it; never enlarged (a smaller image gives the largest crop of this shape it holds).",
};

/** The fit and crop-focus choices, from GET /config: the first of each is the service's default. */
function showFitOptions(settings: ServiceSettings): void {
  ui.fits.replaceChildren(
    ...settings.fits.map((fit, i) => {
      const input = h("input");
      input.type = "radio";
      input.name = "fit";
      input.value = fit;
      input.id = `fit-${fit}`;
      input.checked = i === 0;
      input.addEventListener("change", () => showFitChoice());
      const label = h("label", { text: fitName(fit) });
      label.htmlFor = input.id;
      return h("span", { className: "segment" }, input, label);
    }),
  );
  ui.position.replaceChildren(
    ...settings.positions.map((position, i) => {
      const option = h("option", { text: positionName(position) });
      option.value = position;
      option.selected = i === 0;
      return option;
    }),
  );
  showFitChoice();
}

/** The crop's focus is offered only with a crop; the size hint says what the chosen fit does. */
function showFitChoice(): void {
  const fit = selectedFit();
  ui.positionField.hidden = fit !== "cover" || ui.position.options.length === 0;
  ui.resolutionHint.textContent = HINTS[fit ?? "inside"] ?? "";
}

export function selectedFit(): string | undefined {
  return ui.fits.querySelector<HTMLInputElement>('input[name="fit"]:checked')?.value;
}

/** The crop's focus, when the chosen fit is a crop. */
export function selectedPosition(): string | undefined {
  return ui.positionField.hidden ? undefined : ui.position.value || undefined;
}

let previewUrl: string | undefined;

export function showPreview(file: File | undefined): void {
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = undefined;
  if (!file) {
    ui.preview.hidden = true;
    ui.previewImage.removeAttribute("src");
    return;
  }
  previewUrl = URL.createObjectURL(file);
  const facts = `${typeName(file.type)} · ${formatBytes(file.size)}`;
  ui.previewName.textContent = file.name;
  ui.previewMeta.textContent = facts;
  ui.previewImage.alt = `Preview of ${file.name}`;
  ui.previewImage.hidden = false;
  ui.previewImage.onload = () => {
    ui.previewMeta.textContent = `${facts} · ${formatResolution(`${ui.previewImage.naturalWidth}x${ui.previewImage.naturalHeight}`)}`;
  };
  ui.previewImage.onerror = () => {
    ui.previewImage.hidden = true;
    ui.previewMeta.textContent = `${facts} · this browser can't preview it`;
  };
  ui.previewImage.src = previewUrl;
  ui.preview.hidden = false;
}

export function showProgress(loaded: number, total: number): void {
  const percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
  ui.progressBar.value = percent;
  ui.progressText.textContent = `${percent}% · ${formatBytes(loaded)}${NBSP}of ${formatBytes(total)}`;
}

/** The frame's most height for the thumbnail, as styles.css says (.result-frame img max-height). */
const RESULT_MAX_HEIGHT = 320;

/**
 * Paints the placeholder first, in the very place the thumbnail will take, then the thumbnail over it
 * once it has loaded (showThumbnailLoaded). Both get the thumbnail's shown size up front: the
 * placeholder's own pixels are only 16 on a side, and a loading image has no size yet.
 */
export function showResult(result: ThumbnailResult, elapsedMs: number, fileName: string): void {
  const width = `${shownWidth(result.width, result.height, RESULT_MAX_HEIGHT)}px`;
  const aspectRatio = `${result.width} / ${result.height}`;
  for (const img of [ui.resultPlaceholder, ui.resultImage]) Object.assign(img.style, { width, aspectRatio });
  ui.resultPlaceholder.src = result.placeholder;
  ui.resultPlaceholder.hidden = false;
  ui.resultImage.classList.add("is-loading");
  // Cleared first, so that the same URL again (a cache hit) loads, and says so, again.
  ui.resultImage.removeAttribute("src");
  ui.resultImage.src = result.url;
  ui.resultImage.width = result.width;
  ui.resultImage.height = result.height;
  ui.resultImage.alt = `Thumbnail of ${fileName}, ${result.width} × ${result.height} pixels`;
  ui.resultDims.textContent = formatResolution(`${result.width}x${result.height}`);
  ui.resultBytes.textContent = formatBytes(result.bytes);
  ui.resultFormat.textContent = formatName(result.format);
  ui.resultFit.textContent = result.position
    ? `${fitName(result.fit)} · ${positionName(result.position)}`
    : fitName(result.fit);
  ui.resultTime.textContent = result.cached
    ? `${formatDuration(elapsedMs)} (made earlier, served from storage)`
    : formatDuration(elapsedMs);
  ui.resultUrl.value = result.url;
  ui.resultOpen.href = result.url;
  ui.result.hidden = false;
}

/** The thumbnail has loaded: it takes over from the placeholder. */
export function showThumbnailLoaded(): void {
  ui.resultImage.classList.remove("is-loading");
  ui.resultPlaceholder.hidden = true;
}
