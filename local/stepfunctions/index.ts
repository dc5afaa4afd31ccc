/** The local Step Functions: an in-process engine and its AWS JSON 1.0 HTTP front. See README.md. */
export { createLocalStepFunctions } from "./engine";
export { startLocalSfnServer } from "./server";
export type { LocalSfnServer } from "./server";
export { EngineConfigError, SfnApiError } from "./api-errors";
export { PAYLOAD_LIMIT_BYTES } from "./payload-limit";
export type * from "./types";
