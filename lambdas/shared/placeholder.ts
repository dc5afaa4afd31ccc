/**
 * The placeholder every thumbnail carries: a tiny blurred WebP as a data: URI, small enough to sit in
 * the API's answer, in a state's output and in the thumbnail's S3 user metadata (2 KB for all keys
 * and values together). schemas/defs.schema.json#/$defs/placeholder says the same as these constants.
 */

/** The whole data: URI, prefix included: at most 1 KB. */
export const PLACEHOLDER_MAX_LENGTH = 1024;

export const PLACEHOLDER_PREFIX = "data:image/webp;base64,";

/** A data: URI of base64 WebP, as the schema's pattern. */
export const PLACEHOLDER_PATTERN = "^data:image/webp;base64,[A-Za-z0-9+/]+={0,2}$";

const pattern = new RegExp(PLACEHOLDER_PATTERN);

/** True for a string the schemas accept as a placeholder (used on metadata read back from S3). */
export function isPlaceholder(value: unknown): value is string {
  return typeof value === "string" && value.length <= PLACEHOLDER_MAX_LENGTH && pattern.test(value);
}
