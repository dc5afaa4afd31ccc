/** Checks a chosen file against GET /config before anything is uploaded. */
import { formatBytes, orList, typeName } from "./format";

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
    return {
      ok: false,
      reason: "size",
      message: `“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxUploadBytes)}. Choose a smaller image.`,
    };
  }
  return { ok: true };
}
