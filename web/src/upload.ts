/**
 * The presigned POST to S3. XHR rather than fetch: fetch has no upload progress events in browsers.
 */
import type { UploadTicket } from "./guards";
import { parseS3Error, ProblemError } from "./problems";

export class UploadCancelled extends Error {
  override readonly name = "UploadCancelled";
  constructor() {
    super("upload cancelled");
  }
}

export interface UploadHandle {
  /** Resolves when S3 stored the file; rejects with ProblemError or UploadCancelled. */
  done: Promise<void>;
  abort(): void;
}

/** Builds the form S3 expects: every policy field first, the file last (S3 ignores fields after it). */
export function uploadForm(fields: Record<string, string>, file: Blob, fileName: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", file, fileName);
  return form;
}

export function uploadFile(
  ticket: UploadTicket,
  file: File,
  onProgress: (loaded: number, total: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve();
        return;
      }
      const s3 = parseS3Error(xhr.responseText);
      reject(new ProblemError({ kind: "storage", status: xhr.status, ...s3 }));
    });
    xhr.addEventListener("error", () => reject(new ProblemError({ kind: "network", step: "upload" })));
    xhr.addEventListener("abort", () => reject(new UploadCancelled()));
  });
  xhr.open("POST", ticket.url);
  xhr.send(uploadForm(ticket.fields, file, file.name));
  return { done, abort: () => xhr.abort() };
}
