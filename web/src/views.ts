/** The page's display pieces: preview, progress, options, result. No flow logic here. */
import { byId, h } from "./dom";
import { formatBytes, formatDuration, formatName, formatResolution, NBSP, typeName } from "./format";
import type { ServiceSettings, ThumbnailResult } from "./guards";

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
  formats: byId("formats", HTMLElement),
  generateButton: byId("generate-button", HTMLButtonElement),
  generateHint: byId("generate-hint", HTMLElement),
  thumbnailNotice: byId("thumbnail-notice", HTMLElement),
  result: byId("result", HTMLElement),
  resultTitle: byId("result-title", HTMLElement),
  resultImage: byId("result-image", HTMLImageElement),
  resultDims: byId("result-dims", HTMLElement),
  resultBytes: byId("result-bytes", HTMLElement),
  resultFormat: byId("result-format", HTMLElement),
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
    settings.defaultFormat && settings.formats.includes(settings.defaultFormat) ? settings.defaultFormat : settings.formats[0];
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
}

export function selectedFormat(): string | undefined {
  const checked = ui.formats.querySelector<HTMLInputElement>('input[name="format"]:checked');
  return checked?.value;
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

export function showResult(result: ThumbnailResult, elapsedMs: number, fileName: string): void {
  ui.resultImage.src = result.url;
  ui.resultImage.width = result.width;
  ui.resultImage.height = result.height;
  ui.resultImage.alt = `Thumbnail of ${fileName}, ${result.width} × ${result.height} pixels`;
  ui.resultDims.textContent = formatResolution(`${result.width}x${result.height}`);
  ui.resultBytes.textContent = formatBytes(result.bytes);
  ui.resultFormat.textContent = formatName(result.format);
  ui.resultTime.textContent = result.cached
    ? `${formatDuration(elapsedMs)} (made earlier, served from storage)`
    : formatDuration(elapsedMs);
  ui.resultUrl.value = result.url;
  ui.resultOpen.href = result.url;
  ui.result.hidden = false;
}
