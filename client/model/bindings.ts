import { hasBoundEnds, type LinearShape, type Shape } from '../../shared/schema.ts';
import { resolveBoundEnds, type OutlineOf } from './bound-ends.ts';
import type { NewShape, ShapePatch, ShapeSource } from './shape.ts';

/**
 * Arrows bound to shapes follow them. When shapes change (moved, resized, rotated), each bound end
 * keeps its place relative to the shape: its position in the shape's own unrotated frame, as a
 * share of the width and height, is carried over to the changed shape. The board derives bound
 * ends from the shapes (bound-ends.ts), so a gesture writes only the shapes it changed; the select
 * tool and the presence of others use followedShapes to show the arrows following while the
 * gesture runs, before anything is written.
 */

/** Ids of the lines and arrows with an end bound to one of `ids`, leaving out those among `ids`. */
export function boundLinearIds(board: Pick<ShapeSource, 'ordered'>, ids: ReadonlySet<string>): string[] {
  const found: string[] = [];
  if (ids.size === 0) return found;
  for (const shape of board.ordered()) {
    if (!hasBoundEnds(shape) || ids.has(shape.id)) continue;
    if ((shape.startBinding !== null && ids.has(shape.startBinding)) || (shape.endBinding !== null && ids.has(shape.endBinding))) found.push(shape.id);
  }
  return found;
}

/**
 * The lines and arrows bound to the `changed` shapes as they are once they follow them, by id.
 * Only the `candidates` are looked at when given (from boundLinearIds, so a gesture does not scan
 * the board on every pointer move); otherwise every shape on the board is.
 */
export function followedShapes(board: ShapeSource & { readonly outlineOf?: OutlineOf }, changed: ReadonlyMap<string, NewShape>, candidates?: Iterable<string>): Map<string, LinearShape> {
  const followed = new Map<string, LinearShape>();
  if (changed.size === 0) return followed;
  const shapes = candidates === undefined ? board.ordered() : [...candidates].map((id) => board.get(id));
  // The board's shapes have their ends resolved and their anchors filled in, so resolving them
  // against the changed shapes gives what the board will derive once the change is written.
  const lookup = (id: string): Shape | undefined => {
    const shape = changed.get(id);
    return shape !== undefined ? ({ ...board.get(id), ...shape } as Shape) : board.get(id);
  };
  for (const shape of shapes) {
    if (shape === undefined || !hasBoundEnds(shape) || changed.has(shape.id)) continue;
    const start = shape.startBinding !== null && changed.has(shape.startBinding);
    const end = shape.endBinding !== null && changed.has(shape.endBinding);
    if (!start && !end) continue;
    followed.set(shape.id, resolveBoundEnds(shape, lookup, board.outlineOf));
  }
  return followed;
}

/**
 * Patches that detach lines and arrows from the shapes in `deleted`: they stay where they are
 * (`shapes` are the board's, ends resolved: the patch writes them, as the end was derived) and
 * lose the binding, which would otherwise point at nothing until a shape with that id came back
 * some other way (an imported file keeps ids). Written with the delete, an undo restores both.
 * Lines and arrows that are themselves deleted are left alone.
 */
export function detachBindings(shapes: Iterable<Shape>, deleted: ReadonlySet<string>): Map<string, ShapePatch> {
  const patches = new Map<string, ShapePatch>();
  if (deleted.size === 0) return patches;
  for (const shape of shapes) {
    if (!hasBoundEnds(shape) || deleted.has(shape.id)) continue;
    const patch = unbindPatch(shape, (id) => deleted.has(id));
    if (patch) patches.set(shape.id, patch);
  }
  return patches;
}

/**
 * Patches that detach the lines and arrows among `changed` from shapes not changed with them: an
 * arrow moved, resized or rotated on its own no longer ends at its shape, and would jump back to
 * it at that shape's next move (Excalidraw and tldraw unbind it too). Ends bound to shapes changed
 * in the same gesture keep their binding. The patch writes the arrow's points as `changed` has
 * them: a bound end's stored point may be stale (derived ends are not written back).
 */
export function releasedBindings(changed: ReadonlyMap<string, NewShape>): Map<string, ShapePatch> {
  const patches = new Map<string, ShapePatch>();
  for (const shape of changed.values()) {
    if (!hasBoundEnds(shape)) continue;
    const patch = unbindPatch(shape, (id) => !changed.has(id));
    if (patch) patches.set(shape.id, patch);
  }
  return patches;
}

/** The patch that unbinds the ends of `shape` bound to a shape `letsGo` picks; null if none is. */
function unbindPatch(shape: Pick<LinearShape, 'startBinding' | 'endBinding' | 'x' | 'y' | 'points'>, letsGo: (id: string) => boolean): ShapePatch | null {
  const patch: Partial<Pick<LinearShape, 'startBinding' | 'endBinding' | 'startAnchor' | 'endAnchor'>> = {};
  if (shape.startBinding !== null && letsGo(shape.startBinding)) Object.assign(patch, { startBinding: null, startAnchor: null });
  if (shape.endBinding !== null && letsGo(shape.endBinding)) Object.assign(patch, { endBinding: null, endAnchor: null });
  return Object.keys(patch).length > 0 ? { ...patch, x: shape.x, y: shape.y, points: [...shape.points] } : null;
}
