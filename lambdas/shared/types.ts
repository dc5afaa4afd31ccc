/**
 * TypeScript shapes of the documents in schemas/. The schemas are the source of truth at runtime
 * (validators.ts checks every boundary against them); these types mirror them for the compiler.
 */

import type { OutputFormat, UploadContentType } from "./image-formats";

/** The formats and types come from the one table of image formats (image-formats.ts). */
export type { OutputFormat, UploadContentType };
/** inside: fit inside the box, keeping the aspect ratio; cover: exactly the box, cropped to fill it. */
export type Fit = "inside" | "cover";
/** Which part of the image a cover crop keeps: sharp's attention or entropy strategy, or the centre. */
export type CropPosition = "attention" | "entropy" | "center";

/** Execution input, and Validate's input. */
export interface ThumbnailRequest {
  requestId: string;
  imageName: string;
  /** The caller's key segment (lambdas/shared/owner.ts), from the authorizer's claims; absent on an open API. */
  owner?: string;
  res: string;
  format: OutputFormat;
  /** Left out: inside. The API always sends it; Validate fills it in for other callers. */
  fit?: Fit;
  /** With fit cover only; left out: attention (filled in by Validate). */
  position?: CropPosition;
}

/**
 * Validate's output. `width`/`height` are the bounding box the thumbnail must fit inside. The owner is
 * folded into `sourceKey` and goes no further: later states need only the key.
 */
export interface ValidatedRequest extends Omit<ThumbnailRequest, "owner"> {
  fit: Fit;
  /** Present exactly when fit is cover. */
  position?: CropPosition;
  sourceKey: string;
  width: number;
  height: number;
}

export interface ThumbnailInfo {
  width: number;
  height: number;
  bytes: number;
  /** A tiny blurred preview as a data: URI (at most PLACEHOLDER_MAX_LENGTH characters). */
  placeholder: string;
}

/** Fetch's output: the source pinned to the ETag seen first. */
export interface FetchedSource extends ValidatedRequest {
  etag: string;
  sourceBytes: number;
  thumbnailKey: string;
  cached: boolean;
  thumbnail?: ThumbnailInfo;
}

/** Output of Resize and StorePublic; ReturnUrl's input. */
export interface ThumbnailReady extends FetchedSource {
  thumbnail: ThumbnailInfo;
  stagingKey?: string;
}

/** ReturnUrl's output and the 200 body of GET /thumbnail. */
export interface ThumbnailResult {
  url: string;
  imageName: string;
  res: string;
  width: number;
  height: number;
  format: OutputFormat;
  fit: Fit;
  /** Present exactly when fit is cover. */
  position?: CropPosition;
  bytes: number;
  cached: boolean;
  placeholder: string;
}

export interface ThumbnailQuery {
  imageName: string;
  res: string;
  format?: OutputFormat;
  fit?: Fit;
  position?: CropPosition;
}

export interface UploadQuery {
  contentType?: UploadContentType;
}

/** What the owner is derived from, of the claims API Gateway's JWT authorizer verified. */
export interface JwtClaims {
  iss: string;
  sub: string;
}

export interface ServiceConfig {
  sourceBucket: string;
  thumbnailBucket: string;
  publicBaseUrl: string;
  resolutions: string[];
  formats: OutputFormat[];
  defaultFormat: OutputFormat;
  maxUploadBytes: number;
  maxInputPixels: number;
  uploadContentTypes: UploadContentType[];
  allowedOrigins: string[];
  uploadExpirySeconds: number;
  processingTimeoutSeconds: number;
  stateMachineArn?: string;
  region?: string;
  s3Endpoint?: string;
  sfnEndpoint?: string;
}
