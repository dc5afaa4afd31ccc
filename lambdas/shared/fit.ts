/**
 * How a thumbnail fills its box (GET /thumbnail's fit and position). Fixed by the service, not by
 * configuration: they name sharp's own behaviours, and GET /config lists them for clients. The
 * schemas' enums (schemas/defs.schema.json) hold the same values; test/unit/fit.test.ts keeps them equal.
 */
import type { CropPosition, Fit } from "./types";

/** The default first: a request without `fit` fits inside the box, as before crops existed. */
export const FITS: readonly Fit[] = ["inside", "cover"];

/** The default first: attention (the salient region) suits photos of people and things best. */
export const CROP_POSITIONS: readonly CropPosition[] = ["attention", "entropy", "center"];

export const DEFAULT_FIT: Fit = "inside";
export const DEFAULT_POSITION: CropPosition = "attention";

export type Crop = { fit: "inside" } | { fit: "cover"; position: CropPosition };

/**
 * What a request makes, defaults filled in: a crop always names its position, so that keys and
 * state documents never depend on a default (the API and Validate both use this).
 */
export function cropOf(fit: Fit | undefined, position: CropPosition | undefined): Crop {
  return (fit ?? DEFAULT_FIT) === "cover"
    ? { fit: "cover", position: position ?? DEFAULT_POSITION }
    : { fit: "inside" };
}
