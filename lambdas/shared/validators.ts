/**
 * Every boundary's validator, one export per schema of schemas.ts; import the module as a namespace
 * (`import * as validators from "./validators"`). Here they are compiled with ajv when the module is
 * first imported, which only development and tests do: the Lambda bundles replace this file with
 * ajv's standalone code generated from the same schemas (infra/standalone-validators.ts), so a cold
 * start compiles nothing and each bundle keeps only the validators its function references.
 */
import Ajv from "ajv";
import { AJV_OPTIONS, SCHEMAS, SHARED_SCHEMAS } from "./schemas";
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

const ajv = new Ajv(AJV_OPTIONS);
for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema);

export const config = ajv.compile<ServiceConfig>(SCHEMAS.config);
export const thumbnailQuery = ajv.compile<ThumbnailQuery>(SCHEMAS.thumbnailQuery);
export const uploadQuery = ajv.compile<UploadQuery>(SCHEMAS.uploadQuery);
export const emptyQuery = ajv.compile<Record<string, never>>(SCHEMAS.emptyQuery);
export const jwtClaims = ajv.compile<JwtClaims>(SCHEMAS.jwtClaims);
export const thumbnailRequest = ajv.compile<ThumbnailRequest>(SCHEMAS.thumbnailRequest);
export const validatedRequest = ajv.compile<ValidatedRequest>(SCHEMAS.validatedRequest);
export const fetchedSource = ajv.compile<FetchedSource>(SCHEMAS.fetchedSource);
export const thumbnailReady = ajv.compile<ThumbnailReady>(SCHEMAS.thumbnailReady);
export const thumbnailResult = ajv.compile<ThumbnailResult>(SCHEMAS.thumbnailResult);
