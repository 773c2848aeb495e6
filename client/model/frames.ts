import { holdsShapes, type FrameShape, type Shape } from '../../shared/schema.ts';
import { shapeBounds } from './geometry.ts';
import type { Bounds, Point } from './plane.ts';
import type { NewShape, ShapePatch, ShapeSource } from './shape.ts';

/**
 * Which frame a shape belongs in, as pure functions over the board: one rule for every way a
 * shape arrives somewhere (drawn, dropped after a move, pasted, duplicated). A shape is in the
 * frame whose box holds the centre of its bounds, the topmost one where frames overlap, or in no
 * frame; a frame is never in one. The callers write what these return in the same transaction as
 * the shape itself, so arriving in a frame is part of the one undo step that made the shape.
 */

type Frame = Pick<FrameShape, 'id' | 'x' | 'y' | 'width' | 'height'>;

/** A frame's box on the board: where its children are kept and clipped (its title is above it). */
export function frameBox(frame: Frame): Bounds {
  return { x: frame.x, y: frame.y, width: frame.width, height: frame.height };
}

function holds(box: Bounds, p: Point): boolean {
  return p.x >= box.x && p.y >= box.y && p.x <= box.x + box.width && p.y <= box.y + box.height;
}

function centre(shape: NewShape): Point {
  const b = shapeBounds(shape);
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** The board's frames, bottom first. */
export function framesOf(board: Pick<ShapeSource, 'ordered'>): FrameShape[] {
  return board.ordered().filter((shape): shape is FrameShape => holdsShapes(shape));
}

/**
 * The topmost frame whose box holds `point`, or null. `moved` gives frames where a gesture in
 * progress puts them (a frame dropped together with shapes takes them where it lands).
 */
export function frameAt(board: Pick<ShapeSource, 'ordered'>, point: Point, moved?: ReadonlyMap<string, NewShape>): FrameShape | null {
  const frames = framesOf(board);
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    const shown = moved?.get(frame.id);
    if (holds(frameBox(shown !== undefined && holdsShapes(shown) ? shown : frame), point)) return frame;
  }
  return null;
}

/** The frame `shape` belongs in where it is (its bounds' centre), or null; always null for a frame. */
export function frameFor(board: Pick<ShapeSource, 'ordered'>, shape: NewShape, moved?: ReadonlyMap<string, NewShape>): string | null {
  if (holdsShapes(shape)) return null;
  const frame = frameAt(board, centre(shape), moved);
  return frame !== null && frame.id !== shape.id ? frame.id : null;
}

/** The shape as it is to be added: in the frame it was drawn in (its frameId set), or in none. */
export function placeInFrame<S extends NewShape>(board: Pick<ShapeSource, 'ordered'>, shape: S): S {
  const frameId = frameFor(board, shape);
  if (frameId === (shape.frameId ?? null)) return shape;
  if (frameId !== null) return { ...shape, frameId };
  const { frameId: _none, ...rest } = shape;
  return rest as S;
}

/** `ids` with the children of the frames among them: what moves when they move. */
export function withChildren(board: Pick<ShapeSource, 'get'> & { childrenOf(frameId: string): ReadonlySet<string> }, ids: Iterable<string>): Set<string> {
  const all = new Set(ids);
  for (const id of [...all]) {
    const shape = board.get(id);
    if (shape === undefined || !holdsShapes(shape)) continue;
    for (const child of board.childrenOf(id)) if (board.get(child)?.frameId === id) all.add(child);
  }
  return all;
}

/**
 * The frame patches for shapes dropped after being moved by (dx, dy): each lands in the frame
 * under its centre, or leaves its frame if none is there. A shape whose frame is moved with it
 * stays in that frame, and frames are in none. Compute before writing the move (inside one batch
 * the board's copies of the shapes are not yet moved), and write in the same batch.
 */
export function dropIntoFrames(board: Pick<ShapeSource, 'get' | 'ordered'>, ids: ReadonlySet<string>, dx: number, dy: number): Map<string, ShapePatch> {
  const moved = new Map<string, NewShape>();
  for (const id of ids) {
    const shape = board.get(id);
    if (shape !== undefined) moved.set(id, { ...shape, x: shape.x + dx, y: shape.y + dy });
  }
  const patches = new Map<string, ShapePatch>();
  for (const [id, shape] of moved) {
    if (holdsShapes(shape) || (shape.frameId !== undefined && ids.has(shape.frameId))) continue;
    const frameId = frameFor(board, shape, moved);
    if (frameId !== (shape.frameId ?? null)) patches.set(id, { frameId });
  }
  return patches;
}

/**
 * Patches that keep the children of frames resized or rotated (whose origins move with `patches`)
 * where they are on the board: a child is stored from its frame's origin, and resizing a frame
 * neither scales nor moves what is in it. Children with patches of their own are left to them.
 */
export function childrenKeptInPlace(board: Pick<ShapeSource, 'get'> & { childrenOf(frameId: string): ReadonlySet<string> }, patches: ReadonlyMap<string, ShapePatch>): Map<string, ShapePatch> {
  const kept = new Map<string, ShapePatch>();
  for (const [id, patch] of patches) {
    const frame = board.get(id);
    if (frame === undefined || !holdsShapes(frame) || (patch.x === undefined && patch.y === undefined)) continue;
    for (const childId of board.childrenOf(id)) {
      const child = board.get(childId);
      if (child === undefined || child.frameId !== id || patches.has(childId)) continue;
      kept.set(childId, { x: child.x, y: child.y });
    }
  }
  return kept;
}

/** `shapes` with the children of the frames among them, in z-order: what a copy of them copies. */
export function withFrameChildren(board: Pick<ShapeSource, 'get' | 'ordered'> & { childrenOf(frameId: string): ReadonlySet<string> }, shapes: readonly Shape[]): Shape[] {
  const ids = withChildren(board, shapes.map((shape) => shape.id));
  if (ids.size === shapes.length) return [...shapes];
  return board.ordered().filter((shape) => ids.has(shape.id));
}

/**
 * Copies placed in frames: a copy of a child of a copied frame is in that frame's copy
 * (`newIds` maps old ids to new), any other copy in the frame under its centre where it lands
 * (given by `placed`, the copies as they will be added). Frames come first in the result, so each
 * is written before the children stored from its origin.
 */
export function framedCopies<S extends NewShape>(board: Pick<ShapeSource, 'ordered'>, originals: readonly NewShape[], copies: readonly S[], newIds: ReadonlyMap<string, string>): S[] {
  const out = copies.map((copy, i) => {
    const original = originals[i]!;
    const copiedFrame = original.frameId !== undefined ? newIds.get(original.frameId) : undefined;
    if (copiedFrame !== undefined) return { ...copy, frameId: copiedFrame };
    return placeInFrame(board, copy);
  });
  return [...out.filter((shape) => holdsShapes(shape)), ...out.filter((shape) => !holdsShapes(shape))];
}

/** A frame and, in z-order, the children it draws clipped to its box. */
export interface FrameLayer {
  frame: FrameShape;
  children: Shape[];
}

/**
 * `shapes` (in z-order) as they are drawn: the frames, bottom first, each with its children
 * among `shapes`, then every other shape. The canvas draws the same way (client/canvas/renderer.ts).
 */
export function drawingOrder(shapes: readonly Shape[]): { frames: FrameLayer[]; loose: Shape[] } {
  const frames = new Map<string, FrameLayer>();
  for (const shape of shapes) if (holdsShapes(shape)) frames.set(shape.id, { frame: shape, children: [] });
  const loose: Shape[] = [];
  for (const shape of shapes) {
    if (holdsShapes(shape)) continue;
    const layer = shape.frameId !== undefined ? frames.get(shape.frameId) : undefined;
    if (layer !== undefined) layer.children.push(shape);
    else loose.push(shape);
  }
  return { frames: [...frames.values()], loose };
}

/** A frame and its children, in z-order, or [] if it is not a frame on the board: what exporting it exports. */
export function frameContent(board: Pick<ShapeSource, 'get' | 'ordered'> & { childrenOf(frameId: string): ReadonlySet<string> }, frameId: string): Shape[] {
  const frame = board.get(frameId);
  if (frame === undefined || !holdsShapes(frame)) return [];
  return withFrameChildren(board, [frame]);
}
