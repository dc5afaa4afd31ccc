/**
 * SigV4 verification as S3 does it: rebuild the canonical request from what arrived, re-sign it with
 * the secret and compare in constant time. Canonicalisation and the signing-key chain come from
 * @smithy/signature-v4, the code the AWS SDK signs with, so both sides agree byte for byte.
 *
 * Not verified (documented in README.md): the payload hash against the body (x-amz-content-sha256 is
 * trusted as sent, as is every chunk signature of STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies).
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createScope, getCanonicalHeaders, getCanonicalQuery, getSigningKey } from "@smithy/signature-v4";
import { s3Error, type S3ErrorCode, unsupportedAuthMechanism } from "./s3-error";
import { uriEscape, type RequestTarget } from "./request-target";

export interface SigningIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** node:crypto behind the hash interface @smithy/signature-v4 expects: SHA-256, or HMAC-SHA-256 given a key. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = NodeSha256.create(secret);
  }
  private static create(secret?: SourceData): Hash | Hmac {
    if (secret === undefined) return createHash("sha256");
    return createHmac("sha256", typeof secret === "string" ? secret : toBuffer(secret));
  }
  update(data: SourceData): void {
    this.hash.update(typeof data === "string" ? data : toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
  reset(): void {
    this.hash = NodeSha256.create(this.secret);
  }
}

function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(provided, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function signingKey(identity: SigningIdentity, shortDate: string): Promise<Uint8Array> {
  return getSigningKey(NodeSha256, identity, shortDate, identity.region, "s3");
}

/** hex(HMAC(signing key, data)): the signature of a POST policy or of a string to sign. */
export async function signString(identity: SigningIdentity, shortDate: string, data: string): Promise<string> {
  const key = await signingKey(identity, shortDate);
  return createHmac("sha256", key).update(data, "utf8").digest("hex");
}

interface Credential {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
}

/** Parses `AKID/YYYYMMDD/region/s3/aws4_request`, refusing with `code` (header and query name it differently). */
export function checkCredential(value: string, identity: SigningIdentity, code: S3ErrorCode, what: string): Credential {
  const parts = value.split("/");
  const [accessKeyId, shortDate, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !shortDate || !region || !service || terminator !== "aws4_request") {
    throw s3Error(
      code,
      `${what} the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  }
  if (accessKeyId !== identity.accessKeyId) {
    throw s3Error("InvalidAccessKeyId", undefined, { AWSAccessKeyId: accessKeyId });
  }
  if (region !== identity.region) {
    throw s3Error(code, `${what} the region '${region}' is wrong; expecting '${identity.region}'`, {
      Region: identity.region,
    });
  }
  if (service !== "s3") throw s3Error(code, `${what} incorrect service "${service}". This endpoint belongs to "s3".`);
  return { accessKeyId, shortDate, region, service };
}

function canonicalPath(target: RequestTarget): string {
  // S3 canonicalises the decoded path with RFC 3986 escaping; for the SDK this equals the path it sent.
  return target.rawPath
    .split("/")
    .map((segment) => uriEscape(decodeURIComponent(segment)))
    .join("/");
}

function canonicalQueryOf(target: RequestTarget): string {
  const query: Record<string, string | string[]> = {};
  for (const { name, value } of target.query) {
    const existing = query[name];
    query[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return getCanonicalQuery({ method: "GET", protocol: "http:", hostname: "", path: "/", headers: {}, query });
}

function canonicalHeadersOf(req: IncomingMessage, signedHeaders: string[]): { lines: string; list: string } {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const values = req.headersDistinct[name];
    if (values === undefined) throw s3Error("SignatureDoesNotMatch");
    headers[name] = values.join(",");
  }
  const canonical = getCanonicalHeaders(
    { method: "GET", protocol: "http:", hostname: "", path: "/", headers },
    undefined,
    new Set(signedHeaders),
  );
  const names = Object.keys(canonical).sort();
  return { lines: names.map((n) => `${n}:${canonical[n]}`).join("\n"), list: names.join(";") };
}

async function expectedSignature(
  req: IncomingMessage,
  target: RequestTarget,
  identity: SigningIdentity,
  credential: Credential,
  amzDate: string,
  signedHeaders: string[],
  payloadHash: string,
): Promise<string> {
  const headers = canonicalHeadersOf(req, signedHeaders);
  const canonicalRequest = [
    req.method ?? "GET",
    canonicalPath(target),
    canonicalQueryOf(target),
    headers.lines,
    "",
    headers.list,
    payloadHash,
  ].join("\n");
  const stringToSign = [
    ALGORITHM,
    amzDate,
    createScope(credential.shortDate, credential.region, credential.service),
    createHash("sha256").update(canonicalRequest, "utf8").digest("hex"),
  ].join("\n");
  return signString(identity, credential.shortDate, stringToSign);
}

/** Verifies an `Authorization: AWS4-HMAC-SHA256 ...` request. Throws the S3Error S3 would answer. */
export async function verifyHeaderSignature(
  req: IncomingMessage,
  target: RequestTarget,
  identity: SigningIdentity,
  now: Date,
): Promise<void> {
  const authorization = req.headers.authorization ?? "";
  const space = authorization.indexOf(" ");
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw unsupportedAuthMechanism();
  }
  const components = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq !== -1) components.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credentialValue = components.get("Credential");
  const signedHeadersValue = components.get("SignedHeaders");
  const signature = components.get("Signature");
  if (!credentialValue || !signedHeadersValue || !signature) {
    throw s3Error(
      "AuthorizationHeaderMalformed",
      "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.",
    );
  }
  const credential = checkCredential(
    credentialValue,
    identity,
    "AuthorizationHeaderMalformed",
    "The authorization header is malformed;",
  );
  const amzDate = req.headers["x-amz-date"];
  const date = typeof amzDate === "string" ? parseAmzDate(amzDate) : undefined;
  if (typeof amzDate !== "string" || !date) {
    throw s3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
  }
  if (amzDate.slice(0, 8) !== credential.shortDate) {
    throw s3Error(
      "AuthorizationHeaderMalformed",
      "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.",
    );
  }
  if (Math.abs(now.getTime() - date.getTime()) > MAX_SKEW_MS) {
    throw s3Error(
      "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large.",
      {
        RequestTime: amzDate,
        ServerTime: now.toISOString(),
      },
    );
  }
  const payloadHash = req.headers["x-amz-content-sha256"];
  if (typeof payloadHash !== "string") {
    throw s3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  }
  const signedHeaders = signedHeadersValue.split(";");
  const expected = await expectedSignature(req, target, identity, credential, amzDate, signedHeaders, payloadHash);
  if (!signaturesEqual(expected, signature)) {
    throw s3Error("SignatureDoesNotMatch", undefined, { AWSAccessKeyId: credential.accessKeyId });
  }
}

/** Verifies a presigned (query string) SigV4 URL. Throws the S3Error S3 would answer. */
export async function verifyQuerySignature(
  req: IncomingMessage,
  target: RequestTarget,
  identity: SigningIdentity,
  now: Date,
): Promise<void> {
  const get = (name: string): string | undefined => target.query.find((p) => p.name === name)?.value;
  if (get("X-Amz-Algorithm") !== ALGORITHM) {
    throw s3Error("AuthorizationQueryParametersError", 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const credentialValue = get("X-Amz-Credential");
  const amzDate = get("X-Amz-Date");
  const expires = get("X-Amz-Expires");
  const signedHeadersValue = get("X-Amz-SignedHeaders");
  const signature = get("X-Amz-Signature");
  if (!credentialValue || !amzDate || !expires || !signedHeadersValue || !signature) {
    throw s3Error(
      "AuthorizationQueryParametersError",
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    );
  }
  const credential = checkCredential(
    credentialValue,
    identity,
    "AuthorizationQueryParametersError",
    "Error parsing the X-Amz-Credential parameter;",
  );
  const date = parseAmzDate(amzDate);
  if (!date || amzDate.slice(0, 8) !== credential.shortDate) {
    throw s3Error(
      "AuthorizationQueryParametersError",
      "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
    );
  }
  const seconds = /^[0-9]+$/.test(expires) ? Number(expires) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_PRESIGNED_SECONDS)) {
    throw s3Error(
      "AuthorizationQueryParametersError",
      "X-Amz-Expires must be less than a week (in seconds) that is 604800",
    );
  }
  if (now.getTime() > date.getTime() + seconds * 1000) {
    throw s3Error("AccessDenied", "Request has expired", { "X-Amz-Expires": seconds, ServerTime: now.toISOString() });
  }
  if (date.getTime() - now.getTime() > MAX_SKEW_MS) {
    throw s3Error("AccessDenied", "Request is not valid yet");
  }
  const signedHeaders = signedHeadersValue.split(";");
  // Presigned URLs are UNSIGNED-PAYLOAD unless the signer hoisted a hash into the query (the SDK hoists "UNSIGNED-
  // PAYLOAD").
  const payloadHash =
    target.query.find((p) => p.name.toLowerCase() === "x-amz-content-sha256")?.value ?? "UNSIGNED-PAYLOAD";
  const expected = await expectedSignature(req, target, identity, credential, amzDate, signedHeaders, payloadHash);
  if (!signaturesEqual(expected, signature)) {
    throw s3Error("SignatureDoesNotMatch", undefined, { AWSAccessKeyId: credential.accessKeyId });
  }
}
