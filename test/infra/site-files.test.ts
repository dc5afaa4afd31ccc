/** Which files the site gets: the page's build output, never runtime-config.json. */
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

  it("a missing build uploads nothing and says so", () => {
    const { files, warnings } = collectSiteFiles(path.join(dir, "site"));
    assert.deepEqual(files, []);
    assert.equal(warnings.length, 1);
  });

  it("the build output mirrors the site root; hashed assets are cached forever; runtime-config.json is the deploy's", () => {
    write("site/index.html", "<script src='assets/app-AB12.js'></script>");
    write("site/assets/app-AB12.js");
    write("site/assets/styles-CD34.css");
    write("site/runtime-config.json", "{}");
    const { files, warnings } = collectSiteFiles(path.join(dir, "site"));
    assert.deepEqual(
      files.map((f) => [f.key, f.contentType, f.cacheControl]),
      [
        ["assets/app-AB12.js", "text/javascript; charset=utf-8", IMMUTABLE],
        ["assets/styles-CD34.css", "text/css; charset=utf-8", IMMUTABLE],
        ["index.html", "text/html; charset=utf-8", REVALIDATE],
      ],
    );
    assert.equal(files.find((f) => f.key === "index.html")?.source, path.join(dir, "site", "index.html"));
    assert.deepEqual(warnings, []);
  });

  it("warns when the page is an unbuilt template", () => {
    write("site/index.html", '<link rel="stylesheet" href="{{styles}}" />');
    const { warnings } = collectSiteFiles(path.join(dir, "site"));
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
