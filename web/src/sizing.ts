/**
 * The width (CSS px) at which a width x height image shows when it may be at most `maxHeight` tall,
 * before the frame's own max-width: what the browser does for a loaded image, worked out ahead, so
 * that the placeholder and the still-loading thumbnail take that exact place from the start.
 */
export function shownWidth(width: number, height: number, maxHeight: number): number {
  return Math.min(width, (maxHeight * width) / height);
}
