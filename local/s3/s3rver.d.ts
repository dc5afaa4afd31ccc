// The part of s3rver 3.7's programmatic API the local S3 uses (the package ships no types).
declare module "s3rver" {
  import type { AddressInfo } from "node:net";

  namespace S3rver {
    interface S3rverOptions {
      address?: string;
      port?: number;
      silent?: boolean;
      directory?: string;
      resetOnClose?: boolean;
      allowMismatchedSignatures?: boolean;
      vhostBuckets?: boolean;
      serviceEndpoint?: string;
      configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
    }

    /**
     * lib/stores/filesystem.js: what s3rver's controllers read and write through. Metadata has
     * lower-case header names: content-type, cache-control, x-amz-meta-*, etag (quoted),
     * last-modified, content-length.
     */
    interface FilesystemStore {
      /** null when there is no such bucket. */
      getBucket(bucket: string): Promise<object | null>;
      /** Rejects with an ENOENT error when there is no such object. */
      getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
      /** The file holding `resource` ("object", "metadata.json", ...) of a key. */
      getResourcePath(bucket: string, key: string, resource: string): string;
    }
  }

  class S3rver {
    constructor(options?: S3rver.S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** Koa's middleware list, composed when run() starts the server. */
    middleware: unknown[];
    store: S3rver.FilesystemStore;
  }

  export = S3rver;
}
