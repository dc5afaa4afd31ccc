/**
 * ajv's standalone validation code for lambdas/shared/schemas.ts, generated when bundling: the
 * bundles import it in place of lambdas/shared/validators.ts, so no function compiles a
 * schema at cold start. It is an ES module with one export per validator, which lets esbuild drop
 * from each bundle the validators its function never references.
 */
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone";
import type { Plugin } from "esbuild";
import path from "node:path";
import { AJV_OPTIONS, SCHEMAS, SHARED_SCHEMAS } from "../lambdas/shared/schemas";

/** The module every bundle resolves `./validators` to. */
export function standaloneValidatorsSource(): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema);
  const exports: Record<string, string> = {};
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    ajv.addSchema(schema, name);
    exports[name] = name;
  }
  return standaloneCode(ajv, exports);
}

/** esbuild plugin: lambdas/shared/validators.ts becomes the generated standalone module. */
export function standaloneValidatorsPlugin(projectRoot: string): Plugin {
  const sharedDir = path.join(projectRoot, "lambdas", "shared");
  const target = path.join(sharedDir, "validators.ts");
  return {
    name: "standalone-validators",
    setup(build) {
      build.onResolve({ filter: /[\\/]validators$/ }, (args) => {
        const resolved = path.resolve(args.resolveDir, `${args.path}.ts`);
        return resolved === target ? { path: target, namespace: "standalone-validators" } : undefined;
      });
      // Generated once per build; its runtime helpers (ajv/dist/runtime/*) resolve from lambdas/shared.
      let source: string | undefined;
      build.onLoad({ filter: /.*/, namespace: "standalone-validators" }, () => ({
        contents: (source ??= standaloneValidatorsSource()),
        loader: "js",
        resolveDir: sharedDir,
      }));
    },
  };
}
