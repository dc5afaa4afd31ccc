/** GET /config: what a client may ask for, so pages carry no hard-coded lists. */
import { CROP_POSITIONS, FITS } from "../shared/fit";
import type { CropPosition, Fit, ServiceConfig } from "../shared/types";

export interface PublicConfig {
  resolutions: string[];
  formats: string[];
  defaultFormat: string;
  maxUploadBytes: number;
  uploadContentTypes: string[];
  /** Values of `fit`, the default first. */
  fits: Fit[];
  /** Values of `position` (with fit=cover only), the default first. */
  positions: CropPosition[];
}

export function publicConfig(config: ServiceConfig): PublicConfig {
  return {
    resolutions: config.resolutions,
    formats: config.formats,
    defaultFormat: config.defaultFormat,
    maxUploadBytes: config.maxUploadBytes,
    uploadContentTypes: config.uploadContentTypes,
    fits: [...FITS],
    positions: [...CROP_POSITIONS],
  };
}
