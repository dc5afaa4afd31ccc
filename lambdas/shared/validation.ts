/**
 * What a failed validation means to a caller: one readable line, or the caller's typed error. The
 * validators themselves are in validators.ts.
 */
import type { ErrorObject, ValidateFunction } from "ajv";

/** One line a human can act on, e.g. "res must match pattern ...; unknown parameter 'x'". */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return "invalid";
  return errors
    .map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "";
      if (e.keyword === "additionalProperties") {
        return `unknown parameter '${String(e.params["additionalProperty"])}'`;
      }
      if (e.keyword === "required") return `missing '${String(e.params["missingProperty"])}'`;
      if (e.keyword === "pattern") {
        const description: unknown = e.parentSchema?.["description"];
        return `${where} is malformed${typeof description === "string" ? `: expected ${description}` : ""}`;
      }
      if (e.keyword === "enum") {
        return `${where} must be one of ${(e.params["allowedValues"] as unknown[]).join(", ")}`;
      }
      return `${where || "value"} ${e.message ?? "is invalid"}`;
    })
    .join("; ");
}

/** Narrows `value` with `validate`, or throws what `makeError` builds from the schema errors. */
export function assertValid<T>(
  validate: ValidateFunction<T>,
  value: unknown,
  makeError: (description: string) => Error,
): T {
  if (validate(value)) return value;
  throw makeError(describeErrors(validate.errors));
}
