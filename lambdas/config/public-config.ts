/** GET /config: what a client may ask for, so pages carry no hard-coded lists. */
import type { ServiceConfig } from "../shared/types";

export interface PublicConfig {
  resolutions: string[];
  formats: string[];
  defaultFormat: string;
  maxUploadBytes: number;
  uploadContentTypes: string[];
}

export function publicConfig(config: ServiceConfig): PublicConfig {
  return {
    resolutions: config.resolutions,
    formats: config.formats,
    defaultFormat: config.defaultFormat,
    maxUploadBytes: config.maxUploadBytes,
    uploadContentTypes: config.uploadContentTypes,
  };
}
