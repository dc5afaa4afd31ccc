/** The public shape of the local S3 (see README.md). */
import type { FaultInjector } from "./faults";

export interface LocalS3Options {
  /** Interface the gate listens on; default 127.0.0.1. */
  host?: string;
  /** Port of the gate; 0 = ephemeral. s3rver itself listens on an internal ephemeral port. */
  port: number;
  /** s3rver's data directory; objects survive close() and a start on the same directory. */
  dataDir: string;
  /** Region SigV4 signatures and POST policies must be scoped to, e.g. "us-east-1". */
  region: string;
  /** The one identity signed requests must use. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Created on start if missing (idempotent across restarts). */
  buckets: string[];
  /** Anonymous GET/HEAD is allowed for keys under these prefixes, and nothing else anonymous is. */
  publicRead: { bucket: string; prefix: string }[];
  /** Buckets that accept browser POST uploads from these origins ("*" = any). */
  cors: { bucket: string; allowedOrigins: string[] }[];
  /** Clock for signature and policy expiry checks (tests); default Date.now. */
  now?: () => Date;
}

export interface LocalS3 {
  /** e.g. http://127.0.0.1:4569 (path-style: `${endpoint}/${bucket}/${key}`). */
  endpoint: string;
  port: number;
  close(): Promise<void>;
  faults: FaultInjector;
}
