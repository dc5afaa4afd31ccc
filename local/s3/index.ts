/** The local S3: s3rver behind a gate that checks what S3 checks (see README.md). */
export { startLocalS3 } from "./local-s3";
export type { LocalS3, LocalS3Options } from "./types";
export type { FaultHandle, FaultHit, FaultInjector, FaultSpec } from "./faults";
