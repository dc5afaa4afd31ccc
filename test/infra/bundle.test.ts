/**
 * The code `pulumi up` ships: one self-contained bundle per function, built by the program itself,
 * and sharp beside resize with the binaries of the configured architecture.
 *
 * Size budget (stated here, enforced below): every function's JavaScript <= 1 MiB (the AWS SDK
 * clients are bundled, tree-shaken and minified); every function but resize <= 1 MiB in all;
 * resize <= 40 MiB unpacked (sharp + libvips are ~20 MiB), so its zip stays far below Lambda's
 * 50 MB direct-upload limit and 250 MB unpacked limit.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { BundleError, bundleFunction, handlerEntry } from "../../infra/bundle";
import { FUNCTION_NAMES } from "../../infra/catalog";
import { elfMachine, elfMachineOfFile } from "../../infra/elf";
import { installedSharpVersion, sharpAddonPath } from "../../infra/sharp-package";
import { BUNDLE_DIR, ROOT, loadProgram } from "./support/program";

const MiB = 1024 * 1024;
const JS_BUDGET = 1 * MiB;
const SMALL_FUNCTION_BUDGET = 1 * MiB;
const RESIZE_BUDGET = 40 * MiB;

function sizeOf(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(target).reduce((sum, entry) => sum + sizeOf(path.join(target, entry)), 0);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const load = createRequire(__filename);

describe("infra: function bundles", function () {
  this.timeout(120_000);

  before(async () => {
    await loadProgram();
  });

  it("every function has its handler in lambdas/<name>/handler.ts", () => {
    const missing = FUNCTION_NAMES.filter((name) => !existsSync(handlerEntry(ROOT, name)));
    assert.deepEqual(missing, [], `missing handlers: ${missing.join(", ")}`);
  });

  for (const name of FUNCTION_NAMES) {
    it(`${name}: one minified CommonJS bundle exporting handler, within budget`, () => {
      const dir = path.join(BUNDLE_DIR, name);
      const js = path.join(dir, "index.js");
      assert.ok(existsSync(js), `${js} was built by the program`);
      assert.ok(sizeOf(js) <= JS_BUDGET, `${name}: ${sizeOf(js)} bytes of JavaScript`);
      if (name === "resize") {
        assert.ok(sizeOf(dir) <= RESIZE_BUDGET, `resize: ${sizeOf(dir)} bytes in all`);
        return; // its sharp is built for arm64 and cannot load on this machine; the x86_64 build below loads.
      }
      assert.ok(!existsSync(path.join(dir, "node_modules")), "self-contained");
      assert.ok(sizeOf(dir) <= SMALL_FUNCTION_BUDGET, `${name}: ${sizeOf(dir)} bytes in all`);
      const mod: unknown = load(js);
      assert.ok(isRecord(mod) && typeof mod["handler"] === "function", `${name} exports handler`);
    });
  }

  it("resize leaves sharp out of its bundle and ships it beside it, built for arm64 (aarch64)", () => {
    const dir = path.join(BUNDLE_DIR, "resize");
    assert.match(readFileSync(path.join(dir, "index.js"), "utf8"), /require\("sharp"\)/);
    const shipped: unknown = JSON.parse(readFileSync(path.join(dir, "node_modules", "sharp", "package.json"), "utf8"));
    assert.ok(isRecord(shipped));
    assert.equal(shipped["version"], installedSharpVersion(ROOT), "the sharp version local mode and the tests use");
    assert.equal(elfMachineOfFile(sharpAddonPath(path.join(dir, "node_modules"), "arm64")), "aarch64");
    const vips = path.join(dir, "node_modules", "@img", "sharp-libvips-linux-arm64", "lib");
    const lib = readdirSync(vips).find((f) => f.startsWith("libvips-cpp.so"));
    assert.ok(lib !== undefined);
    assert.equal(elfMachineOfFile(path.join(vips, lib)), "aarch64");
    const platforms = readdirSync(path.join(dir, "node_modules", "@img")).filter((p) => p.startsWith("sharp-"));
    assert.deepEqual(
      platforms.sort(),
      ["sharp-libvips-linux-arm64", "sharp-linux-arm64"],
      "no other platform's binaries",
    );
  });

  describe("with architecture x86_64", () => {
    let out: string;
    let dir: string;
    before(async () => {
      out = mkdtempSync(path.join(os.tmpdir(), "bundle-x64-"));
      dir = await bundleFunction("resize", {
        projectRoot: ROOT,
        outDir: out,
        architecture: "x86_64",
        cacheDir: path.join(ROOT, "dist", "cache"),
      });
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    it("ships sharp built for x86-64 and no arm64 binaries", () => {
      assert.equal(elfMachineOfFile(sharpAddonPath(path.join(dir, "node_modules"), "x86_64")), "x86-64");
      assert.ok(!existsSync(path.join(dir, "node_modules", "@img", "sharp-linux-arm64")));
      assert.ok(sizeOf(dir) <= RESIZE_BUDGET);
    });

    it("loads, and its sharp really resizes (this machine is x86-64 Linux)", async () => {
      const mod: unknown = load(path.join(dir, "index.js"));
      assert.ok(isRecord(mod) && typeof mod["handler"] === "function");
      const script = [
        "const sharp = require('sharp');",
        "sharp({ create: { width: 400, height: 300, channels: 3, background: '#c33' } }).jpeg().toBuffer()",
        "  .then((b) => sharp(b).resize(64, 64, { fit: 'inside' }).png().toBuffer({ resolveWithObject: true }))",
        "  .then(({ info }) => console.log(JSON.stringify(info)));",
      ].join("\n");
      const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: dir });
      const info: unknown = JSON.parse(stdout);
      assert.ok(isRecord(info));
      assert.deepEqual([info["format"], info["width"], info["height"]], ["png", 64, 48]);
    });
  });

  it("a function without a handler fails the build loudly", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "bundle-missing-"));
    try {
      await assert.rejects(
        bundleFunction("validate", { projectRoot: empty, outDir: empty, architecture: "arm64", cacheDir: empty }),
        (err: unknown) => err instanceof BundleError && /no handler for function validate/.test(err.message),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("infra: ELF machine reader", () => {
  const header = (machine: number, endian = 1): Uint8Array => {
    const h = new Uint8Array(20);
    h.set([0x7f, 0x45, 0x4c, 0x46, 2, endian]);
    h[18] = machine & 0xff;
    h[19] = machine >> 8;
    return h;
  };

  it("names aarch64 and x86-64", () => {
    assert.equal(elfMachine(header(0xb7)), "aarch64");
    assert.equal(elfMachine(header(0x3e)), "x86-64");
  });

  it("refuses other machines, big-endian files and non-ELF bytes", () => {
    assert.throws(() => elfMachine(header(0x28)), /unexpected ELF machine 0x28/);
    assert.throws(() => elfMachine(header(0xb7, 2)), /little-endian/);
    assert.throws(() => elfMachine(new TextEncoder().encode("#!/bin/sh\necho hello world")), /not an ELF file/);
  });
});
