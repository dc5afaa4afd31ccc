/**
 * Counts schema compilations (ajv) and state machine constructions (the ASL interpreter) in this
 * process, to prove neither happens per request. Installed on import, before anything loads the
 * service: run.ts imports this module first.
 *
 * - ajv: core.js calls `compile_1.compileSchema` through the module object for every schema it
 *   compiles (compile(), getSchema(), validate(schema, ...)), so wrapping that export sees them all.
 * - aws-local-stepfunctions: local/stepfunctions/interpreter.ts requires it and reads
 *   `StateMachine` from the module object when it builds one; the cached module's exports are
 *   replaced by a copy whose StateMachine counts `new`.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { isRecord } from "./child-process";
import { PROJECT_ROOT } from "./config";

export interface CompileCounts {
  ajvSchemas: number;
  stateMachines: number;
}

const counts: CompileCounts = { ajvSchemas: 0, stateMachines: 0 };

/** Resolves packages as the service's own modules do. */
const requireAsService = createRequire(path.join(PROJECT_ROOT, "local", "stepfunctions", "interpreter.ts"));

function countAjv(): void {
  const compile: unknown = requireAsService("ajv/dist/compile");
  if (!isRecord(compile) || typeof compile["compileSchema"] !== "function") throw new Error("ajv/dist/compile has no compileSchema");
  compile["compileSchema"] = new Proxy(compile["compileSchema"], {
    apply(target, thisArg, args) {
      counts.ajvSchemas++;
      return Reflect.apply(target, thisArg, args);
    },
  });
}

function countStateMachines(): void {
  const id = requireAsService.resolve("aws-local-stepfunctions");
  const loaded: unknown = requireAsService(id);
  const cached = requireAsService.cache[id];
  if (!isRecord(loaded) || typeof loaded["StateMachine"] !== "function" || !cached) {
    throw new Error("aws-local-stepfunctions did not load as expected");
  }
  const StateMachine = new Proxy(loaded["StateMachine"], {
    construct(target, args, newTarget) {
      counts.stateMachines++;
      return Reflect.construct(target, args, newTarget);
    },
  });
  // The package defines its exports as getters; a plain copy with the counting class replaces them.
  cached.exports = { ...loaded, StateMachine };
}

countAjv();
countStateMachines();

export const compileCounts = (): CompileCounts => ({ ...counts });
