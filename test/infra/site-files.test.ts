/** Which files of web/ the site gets: the build output over the plain files, never runtime-config.json. */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { IMMUTABLE, REVALIDATE, collectSiteFiles, contentTypeOf } from "../../infra/site-files";

describe("infra: site files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "site-files-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (rel: string, content = "x"): void => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  };

  it("a missing web/ uploads nothing and says so", () => {
    const { files, warnings } = collectSiteFiles(path.join(dir, "web"));
    assert.deepEqual(files, []);
    assert.equal(warnings.length, 1);
  });

  it("plain web/: index.html and the stylesheets, with their content types", () => {
    write("web/index.html", "<!doctype html><title>t</title>");
    write("web/styles.css");
    write("web/notes.md");
    write("web/src/main.ts");
    const { files, warnings } = collectSiteFiles(path.join(dir, "web"));
    assert.deepEqual(
      files.map((f) => [f.key, f.contentType, f.cacheControl]),
      [
        ["index.html", "text/html; charset=utf-8", REVALIDATE],
        ["styles.css", "text/css; charset=utf-8", REVALIDATE],
      ],
    );
    assert.deepEqual(warnings, []);
    assert.equal(files[0]?.source, path.join(dir, "web", "index.html"));
  });

  it("web/dist/ mirrors the site root and wins; hashed assets are cached forever", () => {
    write("web/index.html", "<script src='{{script}}'></script>");
    write("web/dist/index.html", "<script src='assets/app-AB12.js'></script>");
    write("web/dist/assets/app-AB12.js");
    write("web/dist/assets/styles-CD34.css");
    write("web/dist/runtime-config.json", "{}");
    const { files, warnings } = collectSiteFiles(path.join(dir, "web"));
    assert.deepEqual(
      files.map((f) => [f.key, f.contentType, f.cacheControl]),
      [
        ["assets/app-AB12.js", "text/javascript; charset=utf-8", IMMUTABLE],
        ["assets/styles-CD34.css", "text/css; charset=utf-8", IMMUTABLE],
        ["index.html", "text/html; charset=utf-8", REVALIDATE],
      ],
    );
    assert.equal(files.find((f) => f.key === "index.html")?.source, path.join(dir, "web", "dist", "index.html"));
    assert.deepEqual(warnings, []);
  });

  it("warns when the page is an unbuilt template", () => {
    write("web/index.html", '<link rel="stylesheet" href="{{styles}}" />');
    const { warnings } = collectSiteFiles(path.join(dir, "web"));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /placeholders/);
  });

  it("knows the types a page needs, and falls back to octet-stream", () => {
    assert.equal(contentTypeOf("a/b.svg"), "image/svg+xml");
    assert.equal(contentTypeOf("x.woff2"), "font/woff2");
    assert.equal(contentTypeOf("x.JSON"), "application/json");
    assert.equal(contentTypeOf("x.unknown"), "application/octet-stream");
  });
});
