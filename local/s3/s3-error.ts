/**
 * S3's error responses: the status each code has on AWS and the XML body the AWS SDK parses into an
 * exception named after <Code>. Every refusal of the gate goes through here so clients see S3, not us.
 */
import type { ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";

/** Status of each error code the gate produces (from S3's ErrorResponses reference). */
export const S3_ERROR_STATUS = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadRequest: 400,
  CORSResponse: 403,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  IncorrectNumberOfFilesInPostRequest: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidPolicyDocument: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidURI: 400,
  MalformedPOSTRequest: 400,
  MaxPostPreDataLengthExceededError: 400,
  MethodNotAllowed: 405,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  SlowDown: 503,
} as const;

export type S3ErrorCode = keyof typeof S3_ERROR_STATUS;

/** S3's message for each code that always has the same one: the one place these texts are written. */
const DEFAULT_MESSAGE: Partial<Record<S3ErrorCode, string>> = {
  AccessDenied: "Access Denied",
  IncompleteBody: "The request body terminated unexpectedly",
  InternalError: "We encountered an internal error. Please try again.",
  InvalidRange: "The requested range is not satisfiable",
  InvalidURI: "Couldn't parse the specified URI.",
  NoSuchBucket: "The specified bucket does not exist",
  NoSuchKey: "The specified key does not exist.",
  NotImplemented: "A header you provided implies functionality that is not implemented",
  PreconditionFailed: "At least one of the pre-conditions you specified did not hold",
  ServiceUnavailable: "Please reduce your request rate.",
  SlowDown: "Please reduce your request rate.",
  SignatureDoesNotMatch:
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  InvalidAccessKeyId: "The AWS Access Key Id you provided does not exist in our records.",
};

export type ErrorDetail = Record<string, string | number>;

/** A refusal that is answered with S3's status and XML body. `code` may be any string (faults use custom ones). */
export class S3Error extends Error {
  override readonly name = "S3Error";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail: ErrorDetail = {},
  ) {
    super(message);
  }
}

/** An S3Error with the status S3 gives `code`. */
export function s3Error(code: S3ErrorCode, message?: string, detail?: ErrorDetail): S3Error {
  return new S3Error(code, S3_ERROR_STATUS[code], message ?? DEFAULT_MESSAGE[code] ?? code, detail);
}

/** The refusals several parts of the gate answer, each with S3's message and details. */
export const noSuchBucket = (bucket: string): S3Error => s3Error("NoSuchBucket", undefined, { BucketName: bucket });
export const noSuchKey = (key: string): S3Error => s3Error("NoSuchKey", undefined, { Key: key });
export const notImplementedHeader = (header: string): S3Error =>
  s3Error("NotImplemented", undefined, { Header: header });
/** SigV2 and other schemes, in a header, a query or a POST form. */
export const unsupportedAuthMechanism = (): S3Error =>
  s3Error(
    "InvalidRequest",
    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
  );
export const invalidRange = (requested: string, size: number): S3Error =>
  s3Error("InvalidRange", undefined, { RangeRequested: requested, ActualObjectSize: size });

export function newRequestId(): string {
  return randomBytes(8).toString("hex").toUpperCase();
}

/** Escapes XML text content (quotes stay literal, as in S3's bodies). */
export function escapeXml(value: string): string {
  return value.replace(/[<>&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&amp;"));
}

export function errorXml(error: S3Error, requestId: string): string {
  const detail = Object.entries(error.detail)
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${detail}` +
    `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`
  );
}

/** Writes `error` as S3 would; headers already set on `res` (CORS, request id) are kept. */
export function sendS3Error(res: ServerResponse, error: S3Error, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorXml(error, requestId);
  res.statusCode = error.status;
  res.setHeader("Content-Type", "application/xml");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.setHeader("x-amz-request-id", requestId);
  res.setHeader("x-amz-id-2", requestId);
  res.end(body);
}

/**
 * Narrows anything thrown to an S3Error; unknown failures become InternalError (their detail stays out of the body).
 */
export function toS3Error(error: unknown): S3Error {
  return error instanceof S3Error ? error : s3Error("InternalError");
}
