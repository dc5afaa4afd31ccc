/**
 * jose, loaded once. It ships as an ES module only, and this package is CommonJS: a dynamic import()
 * is the one form both TypeScript's node16 resolution and Node accept. Verification is async anyway.
 */
export type Jose = typeof import("jose", { with: { "resolution-mode": "import" } });

let loaded: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  loaded ??= import("jose");
  return loaded;
}
