/**
 * Every boundary's JSON Schema, by the name its validator is exported under. Development (tsx, tests)
 * compiles them with ajv on first import (validators.ts); the bundles that ship to Lambda get
 * ajv's standalone code generated from this same list at build time (infra/standalone-validators.ts),
 * so a cold start compiles nothing.
 */
import configSchema from "../../schemas/config.schema.json";
import defs from "../../schemas/defs.schema.json";
import emptyQuery from "../../schemas/api/empty-query.schema.json";
import jwtClaims from "../../schemas/api/jwt-claims.schema.json";
import thumbnailQuery from "../../schemas/api/thumbnail-query.schema.json";
import uploadQuery from "../../schemas/api/upload-query.schema.json";
import fetchedSource from "../../schemas/states/fetched-source.schema.json";
import thumbnailReady from "../../schemas/states/thumbnail-ready.schema.json";
import thumbnailRequest from "../../schemas/states/thumbnail-request.schema.json";
import thumbnailResult from "../../schemas/states/thumbnail-result.schema.json";
import validatedRequest from "../../schemas/states/validated-request.schema.json";

/** Referenced by the others; never a validator of its own. */
export const SHARED_SCHEMAS = [defs];

export const SCHEMAS = {
  config: configSchema,
  thumbnailQuery,
  uploadQuery,
  emptyQuery,
  jwtClaims,
  thumbnailRequest,
  validatedRequest,
  fetchedSource,
  thumbnailReady,
  thumbnailResult,
};

export type SchemaName = keyof typeof SCHEMAS;

/**
 * strictRequired off: the conditional `then: {required: [thumbnail]}` names a property defined one
 * level up. verbose: errors carry their schema, so a pattern failure can be explained by the field's
 * description (describeErrors).
 */
export const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, verbose: true } as const;
