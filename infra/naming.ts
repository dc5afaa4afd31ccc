/**
 * Physical names. Resources ops look up by name (functions, log groups, the state machine, the API,
 * alarms, the dashboard) are named `thumbs-<stack>-<part>`, so two stacks share an account without
 * clashing and a name says which environment it belongs to. Buckets get the same prefix plus S3's
 * unique suffix.
 */
export const NAME_ROOT = "thumbs";

/** The longest stack part: `thumbs-<stack>-thumbnails-` must fit S3's 37-character bucket prefix limit. */
export const MAX_STACK_PART = 18;

export class NamingError extends Error {
  override readonly name = "NamingError";
}

export function resourcePrefix(stack: string): string {
  const part = stack
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (part.length === 0) throw new NamingError(`stack name '${stack}' has no letters or digits to name resources with`);
  if (part.length > MAX_STACK_PART) {
    throw new NamingError(
      `stack name '${stack}' is too long for resource names: use at most ${MAX_STACK_PART} characters`,
    );
  }
  return `${NAME_ROOT}-${part}`;
}
