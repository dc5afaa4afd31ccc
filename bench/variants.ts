/**
 * What is measured, one function per variant, each making the same thumbnail of the same bytes:
 *   sharp       (a)  makeThumbnail on the bytes in memory, with the resize step's exact options;
 *   sharpFull   (a0) the same pipeline with shrink-on-load disabled (a full-size decode), to show
 *                    what shrink-on-load saves and that makeThumbnail keeps it;
 *   oneLambda   (b)  the design the service replaces: GET from the local S3, makeThumbnail, PUT,
 *                    in-process with the service's S3 client configuration;
 *   serviceMiss (c)  GET /thumbnail through the running local service, for a fresh image name;
 *   serviceHit  (d)  the same request again (the thumbnail is stored: no Resize).
 */
import { randomUUID } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { ENCODERS } from "../lambdas/resize/encoders";
import { makeThumbnail, type ThumbnailOptions, type ThumbnailOutput } from "../lambdas/resize/image";
import {
  CONTENT_TYPE_OF_FORMAT,
  IMMUTABLE_CACHE_CONTROL,
  normalizeEtag,
  parseRes,
  stagingKey,
  thumbnailKey,
} from "../lambdas/shared/keys";
import type { OutputFormat, ServiceConfig } from "../lambdas/shared/types";

export const VARIANTS = ["sharp", "sharpFull", "oneLambda", "serviceMiss", "serviceHit"] as const;
export type VariantId = (typeof VARIANTS)[number];

export const VARIANT_LABELS: Record<VariantId, string> = {
  sharp: "(a) sharp",
  sharpFull: "(a0) sharp, full decode",
  oneLambda: "(b) one Lambda",
  serviceMiss: "(c) service, miss",
  serviceHit: "(d) service, hit",
};

/** The options the resize step passes (resize.ts): the box from res, the config's limits. */
export function thumbnailOptions(config: ServiceConfig, res: string, format: OutputFormat): ThumbnailOptions {
  const { width, height } = parseRes(res);
  return {
    width,
    height,
    format,
    maxInputPixels: config.maxInputPixels,
    timeoutSeconds: config.processingTimeoutSeconds,
  };
}

export function sharpAlone(bytes: Buffer, options: ThumbnailOptions): Promise<ThumbnailOutput> {
  return makeThumbnail(bytes, options);
}

/**
 * makeThumbnail's pipeline (image.ts: same input options, orientation, fit, colour and encoder) with
 * one change: a pipeline colourspace, which makes sharp skip shrink-on-load, so the decoder
 * produces every source pixel. The header checks are left out: they cost well under a millisecond.
 */
export async function sharpFullDecode(bytes: Buffer, o: ThumbnailOptions): Promise<{ width: number; height: number }> {
  const { data, info } = await sharp(bytes, {
    failOn: "warning",
    pages: 1,
    limitInputPixels: o.maxInputPixels,
    autoOrient: true,
  })
    .pipelineColourspace("srgb")
    .resize(o.width, o.height, { fit: "inside", withoutEnlargement: true })
    .timeout({ seconds: o.timeoutSeconds })
    .toColourspace("srgb")
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  const raw = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const out = await ENCODERS[o.format](raw).toBuffer({ resolveWithObject: true });
  return { width: out.info.width, height: out.info.height };
}

/** (b): what the one-Lambda design did. Same object reads and writes as Resize, minus the workflow. */
export async function oneLambda(
  s3: S3Client,
  config: ServiceConfig,
  imageName: string,
  options: ThumbnailOptions,
): Promise<ThumbnailOutput> {
  const object = await s3.send(new GetObjectCommand({ Bucket: config.sourceBucket, Key: `uploads/${imageName}` }));
  if (!object.Body) throw new Error("GetObject returned no body");
  // Read as Resize reads it (resize.ts readPinnedSource): a view of the SDK's array, no copy.
  const bytes = await object.Body.transformToByteArray();
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const thumb = await makeThumbnail(source, options);
  await s3.send(
    new PutObjectCommand({
      Bucket: config.thumbnailBucket,
      // The key Resize writes (same depth of new directories for s3rver to create).
      Key: stagingKey(
        randomUUID(),
        thumbnailKey(imageName, normalizeEtag(object.ETag), `${options.width}x${options.height}`, options.format),
      ),
      Body: thumb.data,
      ContentType: CONTENT_TYPE_OF_FORMAT[thumb.format],
      CacheControl: IMMUTABLE_CACHE_CONTROL,
      Metadata: { width: String(thumb.width), height: String(thumb.height), "source-etag": normalizeEtag(object.ETag) },
    }),
  );
  return thumb;
}

/** Milliseconds `fn` takes (high-resolution clock). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
