/** Validate: the request checked against this deployment's allowlists; derives key and box. */
import { ValidationError } from "../shared/errors";
import { cropOf } from "../shared/fit";
import { parseRes, sourceKey } from "../shared/keys";
import type { OutputFormat, ServiceConfig, ThumbnailRequest, ValidatedRequest } from "../shared/types";

/** Shared with the API adapter so a bad request is refused before any execution starts. */
export function checkAllowlists(res: string, format: OutputFormat, config: ServiceConfig): void {
  if (!config.resolutions.includes(res)) {
    throw new ValidationError(`res '${res}' is not offered; allowed: ${config.resolutions.join(", ")}`);
  }
  if (!config.formats.includes(format)) {
    throw new ValidationError(`format '${format}' is not offered; allowed: ${config.formats.join(", ")}`);
  }
}

/**
 * The owner ends here, folded into the source key: a request for another user's imageName looks for
 * a key that does not exist, and Fetch answers ImageNotFound as for any missing upload.
 */
export function validateRequest(request: ThumbnailRequest, config: ServiceConfig): ValidatedRequest {
  checkAllowlists(request.res, request.format, config);
  const { width, height } = parseRes(request.res);
  const { owner, ...rest } = request;
  // From here on every state names what it makes: the fit, and for a crop its position.
  return {
    ...rest,
    ...cropOf(request.fit, request.position),
    sourceKey: sourceKey(request.imageName, owner),
    width,
    height,
  };
}
