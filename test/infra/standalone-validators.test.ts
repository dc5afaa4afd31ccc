/**
 * The bundles validate with ajv's standalone code generated at build time; development compiles the
 * same schemas at run time. Both must accept and refuse the same documents with the same messages,
 * and a bundle must compile nothing when it loads and keep only the validators its function uses.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import type { ValidateFunction } from "ajv";
import { esbuildOptions } from "../../infra/bundle";
import { standaloneValidatorsPlugin } from "../../infra/standalone-validators";
import { SCHEMAS, type SchemaName } from "../../lambdas/shared/schemas";
import { describeErrors } from "../../lambdas/shared/validation";
import * as compiled from "../../lambdas/shared/validators";

const ROOT = path.resolve(__dirname, "../..");
const load = createRequire(__filename);

/** Documents each validator must judge alike: valid ones and each kind of refusal. */
const SAMPLES: Partial<Record<SchemaName, unknown[]>> = {
  thumbnailQuery: [
    { imageName: "0f0e7c1a-6b0e-4a57-9a7e-2f7d2c0b9a11.jpg", res: "256x256" },
    { imageName: "0f0e7c1a-6b0e-4a57-9a7e-2f7d2c0b9a11.jpg", res: "256x256", format: "webp" },
    { imageName: "../x", res: "0x0" },
    { imageName: "0f0e7c1a-6b0e-4a57-9a7e-2f7d2c0b9a11.jpg", res: "256x256", format: "gif", extra: "1" },
    {},
  ],
  uploadQuery: [{}, { contentType: "image/png" }, { contentType: "text/html" }],
  emptyQuery: [{}, { a: "b" }],
  thumbnailRequest: [{ requestId: "r-1", imageName: "x", res: "1x1", format: "jpeg" }, { requestId: 5 }],
};

describe("infra: standalone validators (generated when bundling)", function () {
  this.timeout(60_000);
  let dir: string;
  let standalone: Record<string, ValidateFunction>;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "thumb-standalone-"));
    const outfile = path.join(dir, "validators.js");
    // Bundled as the functions are: the plugin swaps the run-time compiler for the generated code.
    await build({
      stdin: {
        contents: `export * from ${JSON.stringify(path.join(ROOT, "lambdas/shared/validators"))};`,
        resolveDir: ROOT,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile,
      plugins: [standaloneValidatorsPlugin(ROOT)],
      logLevel: "silent",
    });
    standalone = load(outfile) as Record<string, ValidateFunction>;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("exports one validator per schema, as development does", () => {
    assert.deepEqual(Object.keys(standalone).sort(), Object.keys(SCHEMAS).sort());
    assert.deepEqual(Object.keys(compiled).sort(), Object.keys(SCHEMAS).sort());
  });

  for (const [name, samples] of Object.entries(SAMPLES)) {
    it(`${name}: the same verdicts and the same messages as the run-time compiled validator`, () => {
      const generated = standalone[name];
      const runtime = (compiled as Record<string, ValidateFunction>)[name];
      assert.ok(generated && runtime);
      let refused = 0;
      for (const sample of samples) {
        const a: boolean = runtime(structuredClone(sample));
        const b: boolean = generated(structuredClone(sample));
        assert.equal(b, a, `${name} on ${JSON.stringify(sample)}`);
        assert.equal(describeErrors(generated.errors), describeErrors(runtime.errors));
        if (!a) refused++;
      }
      assert.ok(refused > 0, "the samples include refusals");
    });
  }

  it("a function's bundle holds its own validators' schemas and compiles none (no ajv compiler inside)", async () => {
    const outfile = path.join(dir, "validate.js");
    await build({ ...esbuildOptions(ROOT, "validate"), minify: false, outfile });
    const code = readFileSync(outfile, "utf8");
    const ids = (schema: { $id: string }) => code.includes(schema.$id);
    assert.ok(ids(SCHEMAS.thumbnailRequest) && ids(SCHEMAS.validatedRequest) && ids(SCHEMAS.config));
    assert.ok(
      !ids(SCHEMAS.thumbnailResult) && !ids(SCHEMAS.uploadQuery),
      "validators validate never uses are left out",
    );
    assert.ok(!code.includes("ajv/dist/compile") && !/new Ajv\b/.test(code), "ajv's compiler is not in the bundle");
  });
});
