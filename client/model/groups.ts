import { holdsShapes, SHAPE_LIMITS, type Shape } from '../../shared/schema.ts';
import type { ShapePatch, ShapeSource } from './shape.ts';

/**
 * Groups as pure functions over shapes. A group is nothing but its id in its members' `groupIds`
 * (innermost first, see shared/shapes/base.ts), so these read and patch members only. The user may
 * have "entered" a group (double-clicked into it): inside it, a click picks the next group in, or
 * one shape. `entered` is that group, or null for none.
 */

type Grouped = Pick<Shape, 'id' | 'groupIds'>;

/**
 * The group a click on `shape` selects whole: the outermost of its groups inside `entered`, or
 * null for the shape alone. A shape outside `entered` is read as if no group were entered (a
 * click there leaves the group).
 */
export function targetGroup(shape: Grouped, entered: string | null): string | null {
  const ids = shape.groupIds ?? [];
  const at = entered === null ? -1 : ids.indexOf(entered);
  const inside = at === -1 ? ids : ids.slice(0, at);
  return inside.length > 0 ? inside[inside.length - 1]! : null;
}

/** True if `shape` belongs to `groupId`, directly or through a group inside it. */
export function inGroup(shape: Grouped, groupId: string): boolean {
  return shape.groupIds?.includes(groupId) === true;
}

/** The shapes of `groupId`, in z-order. */
export function groupMembers(source: Pick<ShapeSource, 'ordered'>, groupId: string): Shape[] {
  return source.ordered().filter((shape) => inGroup(shape, groupId));
}

/** The ids a click on `shape` selects: its target group's members, or the shape alone. */
export function clickSelection(source: Pick<ShapeSource, 'ordered'>, shape: Grouped, entered: string | null): string[] {
  const group = targetGroup(shape, entered);
  return group === null ? [shape.id] : groupMembers(source, group).map((member) => member.id);
}

/** What is selected as one: a group (its members among the shapes given), or one shape (group null). */
export interface SelectionUnit<S extends Grouped = Shape> {
  group: string | null;
  shapes: S[];
}

/** `shapes` split into what a click would select as one, in the order first met. */
export function selectionUnits<S extends Grouped>(shapes: Iterable<S>, entered: string | null): SelectionUnit<S>[] {
  const units: SelectionUnit<S>[] = [];
  const byGroup = new Map<string, SelectionUnit<S>>();
  for (const shape of shapes) {
    const group = targetGroup(shape, entered);
    if (group === null) {
      units.push({ group: null, shapes: [shape] });
      continue;
    }
    let unit = byGroup.get(group);
    if (unit === undefined) {
      unit = { group, shapes: [] };
      byGroup.set(group, unit);
      units.push(unit);
    }
    unit.shapes.push(shape);
  }
  return units;
}

/**
 * What a marquee selects: every unit (a group, or a shape in none) of the unlocked shapes whose
 * shapes all pass `inside`, so a group is picked whole, as a shape is, or not at all.
 */
export function marqueeSelection(shapes: readonly Shape[], entered: string | null, inside: (shape: Shape) => boolean): string[] {
  const units = selectionUnits(
    shapes.filter((shape) => !shape.locked),
    entered,
  );
  return units.filter((unit) => unit.shapes.every(inside)).flatMap((unit) => unit.shapes.map((shape) => shape.id));
}

/** `groupIds` with `groupId` added just inside `entered` when the shape is in it, else outermost. */
function withGroup(groupIds: readonly string[], groupId: string, entered: string | null): string[] {
  const at = entered === null ? -1 : groupIds.indexOf(entered);
  return at === -1 ? [...groupIds, groupId] : [...groupIds.slice(0, at), groupId, ...groupIds.slice(at)];
}

/**
 * The patches that make `selected` one new group `groupId`, or null when there is nothing to group
 * (fewer than two units: one shape, or one group already) or a member would nest deeper than
 * SHAPE_LIMITS.maxGroupDepth. Frames are never in a group and locked shapes are frozen, so both
 * are left out, as Excalidraw leaves frames out. Inside an entered group the new group nests in it.
 */
export function groupPatches(selected: readonly Shape[], entered: string | null, groupId: string): Map<string, ShapePatch> | null {
  const members = selected.filter((shape) => !shape.locked && !holdsShapes(shape));
  if (selectionUnits(members, entered).length < 2) return null;
  const patches = new Map<string, ShapePatch>();
  for (const shape of members) {
    const groupIds = withGroup(shape.groupIds ?? [], groupId, entered);
    if (groupIds.length > SHAPE_LIMITS.maxGroupDepth) return null;
    patches.set(shape.id, { groupIds });
  }
  return patches;
}

/**
 * The patches that dissolve the groups selected whole (each selected shape's target group under
 * `entered`): every unlocked member of those groups, selected or not, loses that one id, so the
 * groups inside stay. Empty when no group is selected.
 */
export function ungroupPatches(source: Pick<ShapeSource, 'ordered'>, selected: readonly Grouped[], entered: string | null): Map<string, ShapePatch> {
  const groups = new Set<string>();
  for (const shape of selected) {
    const group = targetGroup(shape, entered);
    if (group !== null) groups.add(group);
  }
  const patches = new Map<string, ShapePatch>();
  if (groups.size === 0) return patches;
  for (const shape of source.ordered()) {
    if (shape.locked || shape.groupIds === undefined || !shape.groupIds.some((id) => groups.has(id))) continue;
    const rest = shape.groupIds.filter((id) => !groups.has(id));
    patches.set(shape.id, { groupIds: rest.length > 0 ? rest : null });
  }
  return patches;
}

/**
 * The `groupIds` of copies of `shapes`, by original id (absent: the copy is in no group). Each
 * group inside `keep` gets one new id, so copies of a group form a new group nested as the
 * original; `keep` and the groups around it stay, so a copy made inside an entered group is in it
 * too. With `keep` null (a paste) every group is new.
 */
export function copiedGroupIds(shapes: Iterable<Grouped>, keep: string | null, newId: () => string): Map<string, string[]> {
  const renamed = new Map<string, string>();
  const out = new Map<string, string[]>();
  for (const shape of shapes) {
    const ids = shape.groupIds ?? [];
    if (ids.length === 0) continue;
    const at = keep === null ? -1 : ids.indexOf(keep);
    const inner = at === -1 ? ids : ids.slice(0, at);
    const outer = at === -1 ? [] : ids.slice(at);
    const fresh = inner.map((id) => {
      let next = renamed.get(id);
      if (next === undefined) renamed.set(id, (next = newId()));
      return next;
    });
    out.set(shape.id, [...fresh, ...outer]);
  }
  return out;
}
