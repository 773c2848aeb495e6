import type { ShapePatch } from '../../model/board.ts';
import type { ShapeSource } from '../../model/shape.ts';
import type { Selection } from '../../model/selection.ts';
import { arrangeUnits, unitMovePatches, type ArrangeContext, type ArrangeUnit } from './align.ts';

export type Distribution = 'horizontal' | 'vertical';

/** The two distributions, in the order the buttons and the help list them, with their labels. */
export const DISTRIBUTIONS: ReadonlyArray<{ distribution: Distribution; label: string }> = [
  { distribution: 'horizontal', label: 'Distribute horizontally' },
  { distribution: 'vertical', label: 'Distribute vertically' },
];

/**
 * The offsets that spread `units` (at least three) evenly along one axis, as Excalidraw does: in
 * the order of their centres, the first and last stay and the others are placed so the gaps
 * between neighbours are equal; when the units are too wide for the span to leave gaps, their
 * centres are spaced evenly instead. Only the axis distributed changes.
 */
export function distributeOffsets(units: readonly ArrangeUnit[], distribution: Distribution): Map<ArrangeUnit, { dx: number; dy: number }> {
  const offsets = new Map<ArrangeUnit, { dx: number; dy: number }>();
  if (units.length < 3) return offsets;
  const start = (u: ArrangeUnit): number => (distribution === 'horizontal' ? u.box.x : u.box.y);
  const size = (u: ArrangeUnit): number => (distribution === 'horizontal' ? u.box.width : u.box.height);
  const centre = (u: ArrangeUnit): number => start(u) + size(u) / 2;
  const sorted = [...units].sort((a, b) => centre(a) - centre(b));
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const span = Math.max(...sorted.map((u) => start(u) + size(u))) - Math.min(...sorted.map(start));
  const gap = (span - sorted.reduce((sum, u) => sum + size(u), 0)) / (sorted.length - 1);
  const offset = (delta: number) => (distribution === 'horizontal' ? { dx: delta, dy: 0 } : { dx: 0, dy: delta });
  if (gap < 0) {
    const step = (centre(last) - centre(first)) / (sorted.length - 1);
    sorted.forEach((unit, i) => offsets.set(unit, offset(centre(first) + step * i - centre(unit))));
    return offsets;
  }
  let at = Math.min(...sorted.map(start));
  for (const unit of sorted) {
    offsets.set(unit, offset(at - start(unit)));
    at += size(unit) + gap;
  }
  return offsets;
}

/**
 * The patches that distribute the selected units (see distributeOffsets); empty for fewer than
 * three. Locked units stay where they are and are left out of the spacing (a unit that cannot
 * take its place would leave two unequal gaps).
 */
export function distributePatches(source: ShapeSource, selection: Pick<Selection, 'ids' | 'entered'>, distribution: Distribution): Map<string, ShapePatch> {
  const units = arrangeUnits(source, selection).filter((unit) => unit.movable);
  if (units.length < 3) return new Map();
  return unitMovePatches(source, distributeOffsets(units, distribution));
}

/** Distributes the selection (see distributeOffsets). Undo: one step. Returns false if nothing moved. */
export function distributeSelection(ctx: ArrangeContext, distribution: Distribution): boolean {
  const patches = distributePatches(ctx.board, ctx.selection, distribution);
  if (patches.size === 0) return false;
  ctx.board.updateShapes(patches);
  return true;
}
