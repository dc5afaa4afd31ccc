/**
 * The geometry of fit=cover. sharp's own `withoutEnlargement` keeps a cover thumbnail from being
 * enlarged by giving up on the box (a 300x200 source asked for 256x256 comes out 256x200), but the
 * contract wants the box's shape: so the size is worked out here and sharp is asked for exactly it.
 */
import type sharp from "sharp";

export interface Size {
  width: number;
  height: number;
}

/** The first frame as displayed: EXIF orientations 5-8 turn the image a quarter, swapping its sides. */
export function uprightFrameSize(
  header: Pick<sharp.Metadata, "width" | "height" | "pageHeight" | "orientation">,
): Size {
  const width = header.width;
  const height = header.pageHeight ?? header.height;
  return (header.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/**
 * The size of a cover thumbnail of `source` (upright) for `box`: the box itself when the source covers
 * it, else the largest rectangle of the box's aspect ratio inside the source, so nothing is enlarged
 * and the crop still has the shape asked for. Rounding never takes a side past the source's.
 */
export function coverSize(source: Size, box: Size): Size {
  const scale = Math.min(1, source.width / box.width, source.height / box.height);
  if (scale === 1) return { width: box.width, height: box.height };
  return { width: Math.max(1, Math.round(box.width * scale)), height: Math.max(1, Math.round(box.height * scale)) };
}
