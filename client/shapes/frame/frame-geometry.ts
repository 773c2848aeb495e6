import type { FrameShape } from '../../../shared/schema.ts';
import type { Bounds, Point } from '../../model/plane.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { CHAR_WIDTH, FRAME_DEFAULT_NAME, FRAME_STYLE, FRAME_TITLE_BAND } from '../constants.ts';

/**
 * Where a frame's parts are, in its own frame (origin at its top-left corner): the box that holds
 * its children, the border around it and the title above it. The view, the SVG export and the
 * util's bounds and hit tests all read this, so what is drawn and what is hit cannot drift apart.
 *
 * A frame's stroke width says only whether it is dressed: above 0 (every width the style panel
 * offers) it has its border and title; at 0 it is the bare box. That is what a width of 0 means for
 * every type (ShapeUtil.localBounds: the bare geometry, which the select tool resizes about), so a
 * frame resizes about its box and not about its title.
 */

type Frame = NewShapeOf<FrameShape>;

/** Whether the frame draws its border and title (see above). */
export function isDressed(frame: Pick<Frame, 'strokeWidth'>): boolean {
  return frame.strokeWidth > 0;
}

/** The title shown: the frame's name, or the default name when it has none. */
export function frameTitle(frame: Pick<Frame, 'name'>): string {
  return frame.name.trim() === '' ? FRAME_DEFAULT_NAME : frame.name;
}

/** How many characters of the title fit the frame's width, by the estimate text bounds use everywhere. */
export function titleFits(frame: Pick<Frame, 'width'>): number {
  return Math.max(1, Math.floor(frame.width / (FRAME_STYLE.titleFontSize * CHAR_WIDTH)));
}

/** The box the title is drawn in, above the frame: as wide as the title (estimated), at most as wide as the frame. */
export function titleBox(frame: Pick<Frame, 'width' | 'name'>): Bounds {
  const estimated = (frameTitle(frame).length + 1) * FRAME_STYLE.titleFontSize * CHAR_WIDTH;
  return { x: 0, y: -FRAME_TITLE_BAND, width: Math.min(frame.width, estimated), height: FRAME_TITLE_BAND };
}

/** The frame's extent: the box, and when dressed the border's outer half and the title band. */
export function frameBounds(frame: Pick<Frame, 'width' | 'height' | 'strokeWidth'>): Bounds {
  if (!isDressed(frame)) return { x: 0, y: 0, width: frame.width, height: frame.height };
  const pad = FRAME_STYLE.borderWidth / 2;
  return { x: -pad, y: -FRAME_TITLE_BAND, width: frame.width + 2 * pad, height: frame.height + FRAME_TITLE_BAND + pad };
}

function within(b: Bounds, p: Point, by: number): boolean {
  return p.x >= b.x - by && p.y >= b.y - by && p.x <= b.x + b.width + by && p.y <= b.y + b.height + by;
}

/** Whether `p` is anywhere on the frame: its box, its border or its title band. */
export function onFrame(frame: Frame, p: Point, tolerance: number): boolean {
  return within(frameBounds(frame), p, tolerance);
}

/**
 * Whether a pointer at `p` picks the frame: on its title or within `tolerance` of its edge, never
 * its empty inside, so a press or a marquee started inside a frame reaches the shapes in it and
 * the board (as in tldraw and Excalidraw).
 */
export function picksFrame(frame: Frame, p: Point, tolerance: number): boolean {
  if (isDressed(frame) && within(titleBox(frame), p, tolerance)) return true;
  const reach = tolerance + FRAME_STYLE.borderWidth / 2;
  const box = { x: 0, y: 0, width: frame.width, height: frame.height };
  return within(box, p, reach) && !within(box, p, -reach);
}
