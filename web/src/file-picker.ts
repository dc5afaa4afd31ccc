/** "Choose File" and drag and drop, both ending in one callback with the chosen File. */

export interface FilePickerParts {
  button: HTMLButtonElement;
  input: HTMLInputElement;
  zone: HTMLElement;
  onFile: (file: File, extraCount: number) => void;
}

export function wireFilePicker({ button, input, zone, onFile }: FilePickerParts): void {
  button.addEventListener("click", () => {
    input.value = ""; // so choosing the same file again still fires "change"
    input.click();
  });
  input.addEventListener("change", () => {
    const files = input.files;
    const first = files?.[0];
    if (files && first) onFile(first, files.length - 1);
  });

  const hasFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes("Files") ?? false;
  let depth = 0; // dragenter/leave fire for every child; count them so the highlight does not flicker
  zone.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth += 1;
    zone.classList.add("is-dragging");
  });
  zone.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove("is-dragging");
  });
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove("is-dragging");
    if (button.disabled) return;
    const files = e.dataTransfer?.files;
    const first = files?.[0];
    if (files && first) onFile(first, files.length - 1);
  });
  // A file dropped just outside the zone must not navigate away from the page (and lose the work).
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
}
