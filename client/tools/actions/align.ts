import type { Shape } from '../../../shared/schema.ts';
import type { Board, ShapePatch } from '../../model/board.ts';
import { releasedBindings } from '../../model/bindings.ts';
import { selectionUnits } from '../../model/groups.ts';
import { roundCoordinate, type Bounds } from '../../model/plane.ts';
import type { NewShape, ShapeSource } from '../../model/shape.ts';
import type { Selection } from '../../model/selection.ts';
import { unionBounds } from '../../model/transform.ts';

export type Alignment = 'left' | 'center' | 'right' | 'top' | 'middle' | 'bottom';

/** The six alignments, in the order the buttons and the help list them, with their labels. */
export const ALIGNMENTS: ReadonlyArray<{ alignment: Alignment; label: string }> = [
  { alignment: 'left', label: 'Align left' },
  { alignment: 'center', label: 'Center horizontally' },
  { alignment: 'right', label: 'Align right' },
  { alignment: 'top', label: 'Align top' },
  { alignment: 'middle', label: 'Center vertically' },
  { alignment: 'bottom', label: 'Align bottom' },
];

/**
 * What moves as one when aligning or distributing: a group selected whole, or one shape. `box` is
 * its rotated bounds on the board; a unit holding a locked shape stays where it is (it still
 * counts in the selection's bounds, so the others line up with it).
 */
export interface ArrangeUnit {
  shapes: Shape[];
  box: Bounds;
  movable: boolean;
}

type ArrangeSource = Pick<ShapeSource, 'ordered'>;
type ArrangeSelection = Pick<Selection, 'ids' | 'entered'>;
export type ArrangeContext = { board: Board; selection: ArrangeSelection };

/** The selection as units, in z-order. A shape whose frame is selected moves with the frame, so it is no unit of its own. */
export function arrangeUnits(source: ArrangeSource, selection: ArrangeSelection): ArrangeUnit[] {
  const ids = selection.ids();
  const selected = source.ordered().filter((shape) => ids.has(shape.id));
  const own = selected.filter((shape) => shape.frameId === undefined || !ids.has(shape.frameId));
  return selectionUnits(own, selection.entered).map((unit) => ({
    shapes: unit.shapes,
    box: unionBounds(unit.shapes)!,
    movable: unit.shapes.every((shape) => !shape.locked),
  }));
}

/**
 * The patches that move each unit by its offset (units not in `offsets`, or not movable, stay),
 * and moved arrows letting go of shapes that stay, as a drag does (arrows bound to moved shapes
 * need no patch: their ends are derived from the shapes).
 */
export function unitMovePatches(source: ShapeSource, offsets: ReadonlyMap<ArrangeUnit, { dx: number; dy: number }>): Map<string, ShapePatch> {
  const moved = new Map<string, NewShape>();
  for (const [unit, { dx, dy }] of offsets) {
    if (!unit.movable || (dx === 0 && dy === 0)) continue;
    for (const shape of unit.shapes) moved.set(shape.id, { ...shape, x: roundCoordinate(shape.x + dx), y: roundCoordinate(shape.y + dy) });
  }
  const patches = new Map<string, ShapePatch>();
  for (const [id, shape] of moved) patches.set(id, { x: shape.x, y: shape.y });
  for (const [id, patch] of releasedBindings(moved)) patches.set(id, { ...patches.get(id), ...patch });
  return patches;
}

/** How far `box` moves to be aligned as `alignment` says within `to` (the selection's bounds). */
export function alignOffset(box: Bounds, to: Bounds, alignment: Alignment): { dx: number; dy: number } {
  switch (alignment) {
    case 'left':
      return { dx: to.x - box.x, dy: 0 };
    case 'center':
      return { dx: to.x + to.width / 2 - (box.x + box.width / 2), dy: 0 };
    case 'right':
      return { dx: to.x + to.width - (box.x + box.width), dy: 0 };
    case 'top':
      return { dx: 0, dy: to.y - box.y };
    case 'middle':
      return { dx: 0, dy: to.y + to.height / 2 - (box.y + box.height / 2) };
    case 'bottom':
      return { dx: 0, dy: to.y + to.height - (box.y + box.height) };
  }
}

/**
 * The patches that align the selected units (at least two) to the selection's bounds, as
 * Excalidraw does: "left" moves each unit's left edge to the leftmost edge, "center" each unit's
 * centre to the bounds' centre. Empty when there is nothing to align.
 */
export function alignPatches(source: ShapeSource, selection: ArrangeSelection, alignment: Alignment): Map<string, ShapePatch> {
  const units = arrangeUnits(source, selection);
  if (units.length < 2) return new Map();
  const bounds = unionBounds(units.flatMap((unit) => unit.shapes))!;
  return unitMovePatches(source, new Map(units.map((unit) => [unit, alignOffset(unit.box, bounds, alignment)])));
}

/** Aligns the selection (see alignPatches). Undo: one step. Returns false if nothing moved. */
export function alignSelection(ctx: ArrangeContext, alignment: Alignment): boolean {
  const patches = alignPatches(ctx.board, ctx.selection, alignment);
  if (patches.size === 0) return false;
  ctx.board.updateShapes(patches);
  return true;
}
