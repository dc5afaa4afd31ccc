/**
 * The workflow definition as one file with a `${<State>FunctionArn}` placeholder in each Task state's
 * Resource. Both the Pulumi program and local mode render it here, so they run exactly the same
 * states. Which states are Tasks, and which function each runs, is the catalog's (infra/catalog.ts).
 */
import template from "./thumbnail.asl.json";

/** The placeholder a Task state's Resource holds for its function's ARN: `Fetch` -> `FetchFunctionArn`. */
export const placeholderOf = <S extends string>(state: S): `${S}FunctionArn` => `${state}FunctionArn`;

export class DefinitionRenderError extends Error {
  override readonly name = "DefinitionRenderError";
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The template as text, for renderers that substitute values known only at deploy time. */
export const DEFINITION_TEMPLATE = JSON.stringify(template, null, 2);

/**
 * Fills every placeholder. A placeholder without a value, or a value without a placeholder, is an
 * error: both mean the definition and the program disagree about the states.
 */
export function renderDefinition(values: Record<string, string>, source: string = DEFINITION_TEMPLATE): string {
  const used = new Set<string>();
  const rendered = source.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new DefinitionRenderError(`no value for placeholder \${${name}}`);
    used.add(name);
    // JSON-escape so that a value can never break out of its string.
    return JSON.stringify(value).slice(1, -1);
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new DefinitionRenderError(`values for unknown placeholders: ${unused.join(", ")}`);
  return rendered;
}

/** The ARN values keyed by placeholder, from ARNs keyed by Task state name. */
export function placeholderValues(arns: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(arns).map(([state, arn]) => [placeholderOf(state), arn]));
}
