/**
 * Screenshots go to the model no larger than providers take without resizing them on their own
 * side (Anthropic: a long edge of 1568 px and about 1.15 megapixels). We scale ourselves, so we
 * know the factor exactly and can map the model's coordinates back onto the screen.
 */
export interface Size {
  width: number;
  height: number;
}

export const IMAGE_LIMITS = { longEdge: 1568, pixels: 1_150_000 } as const;

/** The size a screen of `screen` is shown at: the largest that fits the limits, never enlarged. */
export function shotSize(screen: Size, limits: { longEdge: number; pixels: number } = IMAGE_LIMITS): Size {
  const factor = Math.min(1, limits.longEdge / Math.max(screen.width, screen.height), Math.sqrt(limits.pixels / (screen.width * screen.height)));
  if (factor === 1) return { ...screen };
  // The epsilon keeps a product such as 3000 × (1568 / 3000) from flooring to 1567.
  return { width: Math.max(1, Math.floor(screen.width * factor + 1e-9)), height: Math.max(1, Math.floor(screen.height * factor + 1e-9)) };
}

/** A point the model gave in screenshot pixels, as a screen pixel (clamped onto the screen). */
export function toScreen(point: readonly [number, number], shot: Size, screen: Size): [number, number] {
  const x = Math.round((point[0] * screen.width) / shot.width);
  const y = Math.round((point[1] * screen.height) / shot.height);
  return [clamp(x, 0, screen.width - 1), clamp(y, 0, screen.height - 1)];
}

/** A screen pixel as the model sees it in the screenshot. */
export function toShot(point: readonly [number, number], shot: Size, screen: Size): [number, number] {
  return [Math.round((point[0] * shot.width) / screen.width), Math.round((point[1] * shot.height) / screen.height)];
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Width and height of a PNG, from its header. */
export function pngSize(png: Buffer): Size {
  if (png.length < 24 || png.toString("ascii", 1, 4) !== "PNG") throw new Error("not a PNG image");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
