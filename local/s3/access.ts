/**
 * Who may do what. A request is signed if it carries an Authorization header or query-string
 * authentication; signed requests must verify as SigV4 for the one configured identity. Anonymous
 * requests may only read objects under a configured public prefix, as a bucket policy granting
 * s3:GetObject on `<bucket>/<prefix>*` (and nothing else) allows on AWS.
 */
import type { IncomingMessage } from "node:http";
import { s3Error, unsupportedAuthMechanism } from "./s3-error";
import type { RequestTarget } from "./request-target";

export interface PublicPrefix {
  bucket: string;
  prefix: string;
}

export type AuthKind = "anonymous" | "header" | "query";

const QUERY_V4 = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"];
const QUERY_V2 = ["Signature", "AWSAccessKeyId"];

export function authKind(req: IncomingMessage, target: RequestTarget): AuthKind {
  const names = new Set(target.query.map((p) => p.name.toLowerCase()));
  const queryV4 = QUERY_V4.some((n) => names.has(n.toLowerCase()));
  const queryV2 = QUERY_V2.some((n) => names.has(n.toLowerCase()));
  const header = req.headers.authorization !== undefined;
  if ([header, queryV4, queryV2].filter(Boolean).length > 1) {
    throw s3Error(
      "InvalidArgument",
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
      { ArgumentName: "Authorization" },
    );
  }
  if (queryV2) {
    throw unsupportedAuthMechanism();
  }
  return header ? "header" : queryV4 ? "query" : "anonymous";
}

// Sub-resources and listings an anonymous GetObject grant does not cover.
const SUBRESOURCES = new Set([
  "accelerate",
  "acl",
  "analytics",
  "attributes",
  "cors",
  "delete",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "legal-hold",
  "lifecycle",
  "list-type",
  "location",
  "logging",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "partNumber",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "restore",
  "retention",
  "select",
  "tagging",
  "torrent",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "website",
]);

/** Throws unless an anonymous request may proceed: GET/HEAD of an object under a public prefix. */
export function checkAnonymous(method: string, target: RequestTarget, publicRead: readonly PublicPrefix[]): void {
  const { bucket, key } = target;
  const isRead = method === "GET" || method === "HEAD";
  const isPublic =
    isRead &&
    bucket !== undefined &&
    key !== undefined &&
    publicRead.some((p) => p.bucket === bucket && key.startsWith(p.prefix));
  if (!isPublic) throw s3Error("AccessDenied");
  for (const { name } of target.query) {
    if (SUBRESOURCES.has(name)) throw s3Error("AccessDenied");
    if (name.toLowerCase().startsWith("response-")) {
      throw s3Error("InvalidRequest", "Request specific response headers cannot be used for anonymous GET requests.");
    }
  }
}
