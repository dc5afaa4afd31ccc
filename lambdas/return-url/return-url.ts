/** ReturnUrl: the public URL of the published thumbnail and the API's answer. */
import type { ServiceConfig, ThumbnailReady, ThumbnailResult } from "../shared/types";

export function buildResult(input: ThumbnailReady, config: Pick<ServiceConfig, "publicBaseUrl">): ThumbnailResult {
  return {
    // Keys hold only [0-9a-z.-] and slashes (keys.ts), so they need no escaping in a URL.
    url: `${config.publicBaseUrl}/${input.thumbnailKey}`,
    imageName: input.imageName,
    res: input.res,
    width: input.thumbnail.width,
    height: input.thumbnail.height,
    format: input.format,
    fit: input.fit,
    ...(input.position ? { position: input.position } : {}),
    bytes: input.thumbnail.bytes,
    cached: input.cached,
    placeholder: input.thumbnail.placeholder,
  };
}
