/**
 * Runtime checks of what the API sends back. The page trusts nothing it did not check: a proxy's
 * HTML error page or a half-deployed API must become a clear message, not a TypeError.
 */

export interface RuntimeConfig {
  apiBaseUrl: string;
  /** Present when the API requires sign-in; `devSignInUrl` when local mode runs its dev issuer. */
  auth?: { devSignInUrl?: string };
}

/** The dev sign-in's answer (local mode, JWT_ISSUER=local). */
export interface SignedIn {
  token: string;
  user: string;
  expiresAt: string;
}

// The API's own types (type-only imports: nothing of the Lambdas reaches the bundle), so the page
// and the handlers cannot drift apart.
import type { PublicConfig } from "../../lambdas/config/public-config";
import type { UploadTicket } from "../../lambdas/presign/presign";
import type { ThumbnailResult } from "../../lambdas/shared/types";

export type { UploadTicket, ThumbnailResult };

/**
 * GET /config; defaultFormat is honoured when a deployment sends it. The page takes fits and
 * positions as the names the service lists (the first is the default), not as a list of its own.
 */
export type ServiceSettings = Omit<PublicConfig, "defaultFormat" | "fits" | "positions"> & {
  defaultFormat?: string;
  fits: string[];
  positions: string[];
};

/** The contract's error body. */
export interface ErrorBody {
  error: { code: string; message: string };
  requestId?: string;
}

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const isString = (v: unknown): v is string => typeof v === "string";
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

export function isRuntimeConfig(v: unknown): v is RuntimeConfig {
  const auth = isObject(v) ? v["auth"] : undefined;
  return (
    isObject(v) &&
    isString(v["apiBaseUrl"]) &&
    (auth === undefined || (isObject(auth) && (auth["devSignInUrl"] === undefined || isString(auth["devSignInUrl"]))))
  );
}

export function isSignedIn(v: unknown): v is SignedIn {
  return (
    isObject(v) && isString(v["token"]) && v["token"].length > 0 && isString(v["user"]) && isString(v["expiresAt"])
  );
}

export function isServiceSettings(v: unknown): v is ServiceSettings {
  return (
    isObject(v) &&
    isStringArray(v["resolutions"]) &&
    v["resolutions"].length > 0 &&
    isStringArray(v["formats"]) &&
    v["formats"].length > 0 &&
    isCount(v["maxUploadBytes"]) &&
    isStringArray(v["uploadContentTypes"]) &&
    (v["defaultFormat"] === undefined || isString(v["defaultFormat"])) &&
    isStringArray(v["fits"]) &&
    v["fits"].length > 0 &&
    isStringArray(v["positions"])
  );
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return isObject(v) && Object.values(v).every(isString);
}

export function isUploadTicket(v: unknown): v is UploadTicket {
  return (
    isObject(v) &&
    isString(v["url"]) &&
    isStringRecord(v["fields"]) &&
    isString(v["imageName"]) &&
    isString(v["expiresAt"]) &&
    isCount(v["maxUploadBytes"])
  );
}

export function isThumbnailResult(v: unknown): v is ThumbnailResult {
  return (
    isObject(v) &&
    isString(v["url"]) &&
    isString(v["imageName"]) &&
    isString(v["res"]) &&
    isCount(v["width"]) &&
    isCount(v["height"]) &&
    isString(v["format"]) &&
    isString(v["fit"]) &&
    (v["position"] === undefined || isString(v["position"])) &&
    isCount(v["bytes"]) &&
    typeof v["cached"] === "boolean" &&
    isImageDataUri(v["placeholder"])
  );
}

/** The placeholder becomes an image's src: only an image data: URI, never a link to elsewhere. */
const isImageDataUri = (v: unknown): v is string =>
  isString(v) && /^data:image\/[a-z+.-]+;base64,[A-Za-z0-9+/]+={0,2}$/.test(v);

export function isErrorBody(v: unknown): v is ErrorBody {
  if (!isObject(v)) return false;
  const error = v["error"];
  return (
    isObject(error) &&
    isString(error["code"]) &&
    isString(error["message"]) &&
    (v["requestId"] === undefined || isString(v["requestId"]))
  );
}
