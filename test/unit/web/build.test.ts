import { strict as assert } from "node:assert";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildWeb, buildWebSync, buildWebWithManifest } from "../../../web/build";

describe("web: buildWeb", function () {
  this.timeout(30_000);
  let outDir: string;

  beforeEach(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), "web-build-"));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("writes index.html that references a hashed, minified bundle and stylesheet that exist", async () => {
    const { files } = await buildWebWithManifest(outDir);
    const html = await readFile(path.join(outDir, "index.html"), "utf8");
    const script = /<script type="module" src="(assets\/app-[A-Z0-9]+\.js)"><\/script>/.exec(html)?.[1];
    const styles = /<link rel="stylesheet" href="(assets\/styles-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    assert.ok(script && styles, "index.html names both assets");
    assert.deepEqual(files.sort(), ["index.html", script, styles].sort());
    const js = await readFile(path.join(outDir, script), "utf8");
    assert.ok(js.length > 2000 && js.split("\n").length < 5, "the bundle is minified");
    assert.ok(!/__commonJS|require\(/.test(js), "an ES module bundle without CommonJS shims");
    assert.ok((await stat(path.join(outDir, styles))).size > 1000);
    assert.ok(!html.includes("{{"), "no placeholder left");
  });

  it("does not write runtime-config.json (each host supplies its own)", async () => {
    await buildWeb(outDir);
    assert.deepEqual((await readdir(outDir)).sort(), ["assets", "index.html"]);
  });

  it("empties its output folder first: an earlier build's hashed assets are not uploaded again", async () => {
    const stale = path.join("assets", "app-OLDHASH1.js");
    await mkdir(path.join(outDir, "assets"), { recursive: true });
    await writeFile(path.join(outDir, stale), "old bundle");
    await writeFile(path.join(outDir, "leftover.txt"), "old");
    const { files } = await buildWebWithManifest(outDir);
    const assets = (await readdir(path.join(outDir, "assets"))).map((f) => `assets/${f}`);
    assert.deepEqual([...(await readdir(outDir)).filter((f) => f !== "assets"), ...assets].sort(), [...files].sort());
    assert.ok(!assets.includes(stale.split(path.sep).join("/")));
  });

  it("refuses to empty a folder that holds the page's sources", () => {
    const webDir = path.resolve(__dirname, "..", "..", "..", "web");
    for (const dir of [webDir, path.dirname(webDir), path.parse(webDir).root]) {
      assert.throws(() => buildWebSync(dir), /refusing to empty/);
    }
  });

  it("keeps the labels the product was designed around", async () => {
    await buildWeb(outDir);
    const html = await readFile(path.join(outDir, "index.html"), "utf8");
    for (const label of ["Choose File", "Upload image", "Resolution", "Format", "Generate Thumbnail", "Copy URL"]) {
      assert.ok(html.includes(label), label);
    }
    assert.match(html, /role="status" aria-live="polite"/);
    assert.match(html, /<html lang="en">/);
  });
});
