/**
 * Every boundary's JSON Schema, compiled once per cold start (module scope), never per request.
 * Callers get type guards; `assertValid` turns a failure into the caller's typed error.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import defs from "../../schemas/defs.schema.json";
import configSchema from "../../schemas/config.schema.json";
import thumbnailQuery from "../../schemas/api/thumbnail-query.schema.json";
import uploadQuery from "../../schemas/api/upload-query.schema.json";
import emptyQuery from "../../schemas/api/empty-query.schema.json";
import jwtClaims from "../../schemas/api/jwt-claims.schema.json";
import thumbnailRequest from "../../schemas/states/thumbnail-request.schema.json";
import validatedRequest from "../../schemas/states/validated-request.schema.json";
import fetchedSource from "../../schemas/states/fetched-source.schema.json";
import thumbnailReady from "../../schemas/states/thumbnail-ready.schema.json";
import thumbnailResult from "../../schemas/states/thumbnail-result.schema.json";
import type {
  FetchedSource,
  JwtClaims,
  ServiceConfig,
  ThumbnailQuery,
  ThumbnailReady,
  ThumbnailRequest,
  ThumbnailResult,
  UploadQuery,
  ValidatedRequest,
} from "./types";

// strictRequired off: the conditional `then: {required: [thumbnail]}` names a property defined one level up.
// verbose: errors carry their schema, so a pattern failure can be explained by the field's description.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
ajv.addSchema(defs);

export const validators = {
  config: ajv.compile<ServiceConfig>(configSchema),
  thumbnailQuery: ajv.compile<ThumbnailQuery>(thumbnailQuery),
  uploadQuery: ajv.compile<UploadQuery>(uploadQuery),
  emptyQuery: ajv.compile<Record<string, never>>(emptyQuery),
  jwtClaims: ajv.compile<JwtClaims>(jwtClaims),
  thumbnailRequest: ajv.compile<ThumbnailRequest>(thumbnailRequest),
  validatedRequest: ajv.compile<ValidatedRequest>(validatedRequest),
  fetchedSource: ajv.compile<FetchedSource>(fetchedSource),
  thumbnailReady: ajv.compile<ThumbnailReady>(thumbnailReady),
  thumbnailResult: ajv.compile<ThumbnailResult>(thumbnailResult),
};

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
