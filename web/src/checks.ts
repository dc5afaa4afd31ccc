/** Checks a chosen file against GET /config before anything is uploaded. */
import { formatBytes, NBSP, orList, typeName } from "./format";

/** The parts of a File the checks need (a File satisfies it; tests pass plain objects). */
export interface FileFacts {
  name: string;
  type: string;
  size: number;
}

export interface Limits {
  maxUploadBytes: number;
  uploadContentTypes: readonly string[];
}

export type FileCheck = { ok: true } | { ok: false; reason: "type" | "empty" | "size"; message: string };

export function acceptedTypesText(types: readonly string[]): string {
  return orList(types.map(typeName));
}

export function checkFile(file: FileFacts, limits: Limits): FileCheck {
  const accepted = acceptedTypesText(limits.uploadContentTypes);
  if (!limits.uploadContentTypes.includes(file.type)) {
    const what = file.type ? `a file of type ${typeName(file.type)} (${file.type})` : "a file of unknown type";
    return {
      ok: false,
      reason: "type",
      message: `“${file.name}” is ${what}. Choose a ${accepted} image.`,
    };
  }
  if (file.size === 0) {
    return { ok: false, reason: "empty", message: `“${file.name}” is empty (0 bytes). Choose another image.` };
  }
  if (file.size > limits.maxUploadBytes) {
    let size = formatBytes(file.size);
    let limit = formatBytes(limits.maxUploadBytes);
    // Just over the limit both round to the same figure ("4 MB; the limit is 4 MB"): show exact bytes.
    if (size === limit) {
      size = `${file.size.toLocaleString("en-US")}${NBSP}bytes`;
      limit = `${limits.maxUploadBytes.toLocaleString("en-US")}${NBSP}bytes`;
    }
    return {
      ok: false,
      reason: "size",
      message: `“${file.name}” is ${size}; the limit is ${limit}. Choose a smaller image.`,
    };
  }
  return { ok: true };
}
