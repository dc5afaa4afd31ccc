/**
 * sharp for the Lambda's platform, not this machine's: npm installs the sharp release the project
 * uses with the linux/glibc binaries of the configured architecture (@img/sharp-linux-<cpu> and
 * @img/sharp-libvips-linux-<cpu>) into a cache directory, once per version and architecture.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { elfMachineOfFile, type ElfMachine } from "./elf";
import type { Architecture } from "./stack-config";

const run = promisify(execFile);

/** npm's name for each Lambda architecture, and the ELF machine its binaries must be built for. */
export const PLATFORM = {
  arm64: { cpu: "arm64", elf: "aarch64" },
  x86_64: { cpu: "x64", elf: "x86-64" },
} as const satisfies Record<Architecture, { cpu: string; elf: ElfMachine }>;

export class SharpPackageError extends Error {
  override readonly name = "SharpPackageError";
}

/** The sharp version installed for local mode and the tests: the Lambda gets exactly this one. */
export function installedSharpVersion(projectRoot: string): string {
  const manifest: unknown = JSON.parse(
    readFileSync(path.join(projectRoot, "node_modules", "sharp", "package.json"), "utf8"),
  );
  if (
    typeof manifest === "object" &&
    manifest !== null &&
    "version" in manifest &&
    typeof manifest.version === "string"
  ) {
    return manifest.version;
  }
  throw new SharpPackageError("node_modules/sharp/package.json has no version");
}

/** The native addon of a sharp node_modules tree for the architecture (its file name carries the version). */
export function sharpAddonPath(nodeModules: string, architecture: Architecture): string {
  const libDir = path.join(nodeModules, "@img", `sharp-linux-${PLATFORM[architecture].cpu}`, "lib");
  const addon = existsSync(libDir) ? readdirSync(libDir).find((f) => f.endsWith(".node")) : undefined;
  if (addon === undefined) throw new SharpPackageError(`no sharp binary in ${libDir}`);
  return path.join(libDir, addon);
}

/** Throws unless the tree holds sharp's addon and libvips built for the architecture's CPU. */
export function checkSharpTree(nodeModules: string, architecture: Architecture): void {
  const expected = PLATFORM[architecture].elf;
  const addon = sharpAddonPath(nodeModules, architecture);
  const found = elfMachineOfFile(addon);
  if (found !== expected)
    throw new SharpPackageError(`${addon} is built for ${found}, the functions run on ${expected}`);
  const vipsDir = path.join(nodeModules, "@img", `sharp-libvips-linux-${PLATFORM[architecture].cpu}`, "lib");
  const vips = existsSync(vipsDir) ? readdirSync(vipsDir).find((f) => f.startsWith("libvips-cpp.so")) : undefined;
  if (vips === undefined) throw new SharpPackageError(`no libvips in ${vipsDir}`);
  const vipsMachine = elfMachineOfFile(path.join(vipsDir, vips));
  if (vipsMachine !== expected)
    throw new SharpPackageError(`${vips} is built for ${vipsMachine}, the functions run on ${expected}`);
}

const pending = new Map<string, Promise<string>>();

/**
 * The node_modules directory holding sharp for linux/<architecture>, installing it on first use.
 * Installs go to a fresh temporary directory renamed into place, so concurrent builds never see half a tree.
 */
export function sharpForLambda(cacheDir: string, version: string, architecture: Architecture): Promise<string> {
  const target = path.join(cacheDir, `sharp-${version}-linux-${PLATFORM[architecture].cpu}-glibc`);
  let promise = pending.get(target);
  if (promise === undefined) {
    promise = install(target, version, architecture).catch((err: unknown) => {
      pending.delete(target);
      throw err;
    });
    pending.set(target, promise);
  }
  return promise;
}

async function install(target: string, version: string, architecture: Architecture): Promise<string> {
  const nodeModules = path.join(target, "node_modules");
  if (existsSync(nodeModules)) {
    checkSharpTree(nodeModules, architecture);
    return nodeModules;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.tmp-`);
  try {
    await run(
      "npm",
      [
        "install",
        `sharp@${version}`,
        "--prefix",
        staging,
        "--os=linux",
        `--cpu=${PLATFORM[architecture].cpu}`,
        "--libc=glibc",
        "--no-save",
        "--no-package-lock",
        // sharp's install script checks this machine's platform, which is not the Lambda's.
        "--ignore-scripts",
        "--omit=dev",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
      ],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    checkSharpTree(path.join(staging, "node_modules"), architecture);
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another build got there first: its tree is as good as ours.
      if (!existsSync(nodeModules)) throw err;
    }
  } catch (err) {
    throw new SharpPackageError(`installing sharp@${version} for linux/${architecture} failed: ${String(err)}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  checkSharpTree(nodeModules, architecture);
  return nodeModules;
}
