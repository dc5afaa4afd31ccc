/**
 * Cross-origin rules, as plain data. The page (on the site's CloudFront origin, plus any configured
 * origins) calls the API with GETs and POSTs the upload straight to the source bucket.
 */

/** The site's origin first, then the configured extra ones, without duplicates. */
export function allowedOrigins(siteOrigin: string, extraOrigins: string[]): string[] {
  return [...new Set([siteOrigin, ...extraOrigins])];
}

/**
 * The source bucket accepts the presigned POST from the allowed origins only. The form fields and the
 * file travel as multipart/form-data (a CORS-safelisted type), so no request header needs allowing,
 * and the page reads nothing from S3's answer but its status.
 */
export function sourceBucketCorsRules(origins: string[]): {
  id: string;
  allowedMethods: string[];
  allowedOrigins: string[];
  maxAgeSeconds: number;
}[] {
  return [{ id: "browser-upload", allowedMethods: ["POST"], allowedOrigins: [...origins], maxAgeSeconds: 600 }];
}

/**
 * The HTTP API answers preflights itself and adds these headers to every response of the
 * integrations, errors included. The page must read x-request-id (to report it) and Retry-After (503),
 * and send `Authorization: Bearer <token>` when the API requires sign-in (allowed either way, so a
 * frontend that always sends its token works against an open API too). The local app answers with
 * the same values (local/api-cors.ts).
 */
export function apiCors(origins: string[]): {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge: number;
  allowCredentials: boolean;
} {
  return {
    allowOrigins: [...origins],
    allowMethods: ["GET", "OPTIONS"],
    allowHeaders: ["authorization"],
    exposeHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
    allowCredentials: false,
  };
}
