/**
 * The catalog (infra/catalog.ts), the folders under lambdas/ and statemachine/thumbnail.asl.json
 * must say the same thing. Adding a Task is its folder, its catalog entry and its Task state; these
 * checks fail while one of the three is missing or they disagree.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { handlerEntry } from "../../infra/bundle";
import { API_FUNCTIONS, CATALOG, FUNCTION_NAMES, TASKS, TASK_PLACEHOLDERS } from "../../infra/catalog";
import { inProcessHandler } from "../../local/handlers";
import { DEFINITION_TEMPLATE, placeholderOf } from "../../statemachine/definition";
import definition from "../../statemachine/thumbnail.asl.json";

const ROOT = path.resolve(__dirname, "..", "..");
const LAMBDAS = path.join(ROOT, "lambdas");
/** Code the functions share; not a function of its own. */
const SHARED = "shared";

const states: Record<string, { Type: string; Resource?: string }> = definition.States;
const taskStates = Object.entries(states).filter(([, s]) => s.Type === "Task");
const folders = readdirSync(LAMBDAS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== SHARED)
  .map((entry) => entry.name);
const isCatalogued = (name: string): boolean => FUNCTION_NAMES.some((n) => n === name);

function duplicates(values: readonly string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("infra: the catalog, lambdas/ and the state machine agree", () => {
  it("every catalog function has its folder with a handler.ts", () => {
    const missing = FUNCTION_NAMES.filter((name) => !existsSync(handlerEntry(ROOT, name)));
    assert.deepEqual(missing, [], `no lambdas/<name>/handler.ts for: ${missing.join(", ")}`);
  });

  it("every folder under lambdas/ (but shared/) is a catalog function", () => {
    const strays = folders.filter((folder) => !isCatalogued(folder));
    assert.deepEqual(strays, [], `folders without a catalog entry: ${strays.join(", ")}`);
  });

  it("names, Task states and routes are each used once", () => {
    assert.deepEqual(duplicates(CATALOG.map((entry) => entry.name)), []);
    assert.deepEqual(duplicates(TASKS.map((task) => task.state)), []);
    assert.deepEqual(duplicates(API_FUNCTIONS.map((fn) => fn.route)), []);
  });

  for (const task of TASKS) {
    it(`${task.name}: its Task state ${task.state} runs it through \${${placeholderOf(task.state)}}`, () => {
      const state = states[task.state];
      assert.equal(state?.Type, "Task", `statemachine/thumbnail.asl.json has no Task state ${task.state}`);
      assert.equal(state.Resource, `\${${placeholderOf(task.state)}}`);
      assert.equal(TASK_PLACEHOLDERS[task.state], placeholderOf(task.state));
    });
  }

  it("every Task state of the definition is a catalog Task", () => {
    const unknown = taskStates.filter(
      ([name, s]) => !TASKS.some((t) => t.state === name && s.Resource === `\${${placeholderOf(name)}}`),
    );
    assert.deepEqual(
      unknown.map(([name, s]) => `${name} (${s.Resource ?? "no Resource"})`),
      [],
      "Task states without a catalog entry, or whose Resource is not ${<State>FunctionArn}",
    );
  });

  it("the definition holds no placeholder but the catalog Tasks' Resources", () => {
    const placeholders = [...DEFINITION_TEMPLATE.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
    assert.deepEqual(placeholders.sort(), TASKS.map((t) => placeholderOf(t.state)).sort());
  });

  for (const name of FUNCTION_NAMES) {
    it(`${name}: local mode builds its handler from lambdas/${name}/handler.ts's createHandler`, () => {
      const getDeps = (): never => {
        throw new Error("dependencies are asked for on invocation, not while the handler is built");
      };
      assert.equal(typeof inProcessHandler(name, getDeps), "function");
    });
  }

  it("no Lambda imports infra/, so the catalog never ends up in a bundle", () => {
    const offenders = sourceFiles(LAMBDAS).filter((file) =>
      /(from\s+|import\(|require\()["'](\.\.\/)+infra\//.test(readFileSync(file, "utf8")),
    );
    assert.deepEqual(
      offenders.map((file) => path.relative(ROOT, file)),
      [],
    );
  });
});
