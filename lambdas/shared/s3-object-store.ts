/**
 * The ObjectStore of the deployed functions (and of local mode, against the local S3): one SDK call
 * per operation. S3's answers that are not failures (no such key, a failed If-Match) become results
 * here; every other error is rethrown as the SDK threw it, for the cores to map (storage-errors.ts).
 */
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { normalizeEtag } from "./keys";
import type { ObjectHead, ObjectStore, PinnedRead, PutOptions } from "./object-store";
import { isNotFound, isPreconditionFailed } from "./storage-errors";
import type { ServiceConfig } from "./types";

/** What a Task handler is given: the config and the S3 client of its execution environment. */
export interface S3TaskDeps {
  config: ServiceConfig;
  s3: S3Client;
}

interface S3Head {
  ETag?: string;
  ContentLength?: number;
  ContentType?: string;
  CacheControl?: string;
  Metadata?: Record<string, string>;
}

const headOf = (object: S3Head): ObjectHead => ({
  etag: normalizeEtag(object.ETag),
  size: object.ContentLength ?? 0,
  ...(object.ContentType !== undefined ? { contentType: object.ContentType } : {}),
  ...(object.CacheControl !== undefined ? { cacheControl: object.CacheControl } : {}),
  metadata: object.Metadata ?? {},
});

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async head(bucket: string, key: string): Promise<ObjectHead | undefined> {
    try {
      return headOf(await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async getIfMatch(bucket: string, key: string, etag: string): Promise<PinnedRead> {
    let object;
    try {
      object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: `"${etag}"` }));
    } catch (err) {
      if (isPreconditionFailed(err)) return { status: "changed" };
      if (isNotFound(err)) return { status: "missing" };
      throw err;
    }
    const body = object.Body;
    if (!body) throw new Error("GetObject returned no body");
    return {
      status: "found",
      head: headOf(object),
      body: {
        async bytes() {
          // A view of the SDK's fresh array, not a copy: one more 4 MB allocation per request was
          // enough to push V8 into a full GC per request with two in flight (bench/README.md, "throughput").
          const bytes = await body.transformToByteArray();
          return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        },
        discard() {
          body
            .transformToWebStream()
            .cancel()
            .catch(() => undefined);
        },
      },
    };
  }

  async put(bucket: string, key: string, body: Buffer, options: PutOptions): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        CacheControl: options.cacheControl,
        Metadata: options.metadata,
      }),
    );
  }

  async copy(bucket: string, fromKey: string, toKey: string): Promise<void> {
    // Content-Type, Cache-Control and the metadata come from the source object.
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: toKey,
        CopySource: `${bucket}/${fromKey}`,
        MetadataDirective: "COPY",
      }),
    );
  }
}
