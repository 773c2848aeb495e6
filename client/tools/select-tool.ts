import { hasText, holdsShapes, type Shape } from '../../shared/schema.ts';
import type { NewShape, ShapePatch } from '../model/board.ts';
import { boundLinearIds, followedShapes, releasedBindings } from '../model/bindings.ts';
import { shapeBounds } from '../model/geometry.ts';
import type { Bounds, Point } from '../model/plane.ts';
import { shapeAt } from '../model/shape-at.ts';
import { childrenKeptInPlace, dropIntoFrames, withChildren } from '../model/frames.ts';
import { clickSelection, groupMembers, marqueeSelection, targetGroup } from '../model/groups.ts';
import { applyTransform, diffShape, unionBounds } from '../model/transform.ts';
import { snapDrag, snapHandle } from '../model/snapping.ts';
import type { GestureTransform } from '../../shared/presence.ts';
import { deleteSelection } from './delete-selection.ts';
import { shapeUtil } from '../shapes/registry.ts';
import { bendHandle, bentThrough, nearHandle, selectionHandles, handleAt, type HandleName } from '../model/selection-handles.ts';
import { DRAG_THRESHOLD_PX, HIT_TOLERANCE_PX, type BoardPointerEvent, type Tool, type ToolContext } from './tool.ts';

/** What a press that ends without a drag does to the selection (decided on release, so a drag of a multi-selection keeps it). */
type OnClick = 'none' | 'select-only' | 'deselect';

type SelectState =
  | { name: 'idle' }
  | { name: 'pointing'; origin: BoardPointerEvent; hitId: string | null; unit: readonly string[]; onClick: OnClick }
  | { name: 'dragging'; origin: BoardPointerEvent; ids: ReadonlySet<string>; bound: readonly string[]; box: Bounds | null; exclude: ReadonlySet<string> }
  | { name: 'marquee'; origin: BoardPointerEvent; base: ReadonlySet<string> }
  | { name: 'resizing'; handle: Exclude<HandleName, 'rotate'>; bounds: Bounds; shapes: ReadonlyMap<string, Shape>; bound: readonly string[]; keepsAspect: boolean }
  | { name: 'rotating'; center: Point; startAngle: number; shapes: ReadonlyMap<string, Shape>; bound: readonly string[] }
  | { name: 'bending'; shape: Shape };

/** Two clicks on one shape within this many milliseconds are a double-click (enter its group, or edit its text). */
const DOUBLE_CLICK_MS = 500;
/** Shift snaps rotation to multiples of this many degrees. */
const SNAP_DEGREES = 15;

/**
 * Select, move, resize and rotate: idle → pointing → dragging | marquee → idle, and
 * idle → resizing | rotating → idle from the selection's handles. A click selects (Shift adds or
 * removes), a drag on empty board draws a marquee, a drag on a shape moves the selection, a
 * double-click on a text or note edits it. A click on a member of a group selects the whole group
 * (the marquee too picks groups whole); a double-click enters the group and selects the member, or
 * the next group in that holds it, and Escape goes back out one level. While a gesture runs only
 * the draft changes, lines and arrows bound to the changed shapes following them in it on every
 * move; the document is written
 * once on release, as one transaction (one undo step) holding the shapes and those arrows.
 * `bound` lists the arrows found when the gesture starts, so a move does not scan the board.
 */
export function createSelectTool(ctx: ToolContext): Tool {
  let state: SelectState = { name: 'idle' };
  let lastClick: { id: string; time: number } | null = null;

  const editable = (): Shape[] => [...ctx.selection.ids()].map((id) => ctx.board.get(id)).filter((s): s is Shape => s !== undefined && !s.locked);

  /** Writes the changed shapes and the arrows bound to them as one undo step. */
  const commit = (after: ReadonlyMap<string, NewShape>): void => {
    const patches = new Map<string, ShapePatch>();
    for (const [id, shape] of after) {
      const before = ctx.board.get(id);
      if (before !== undefined) patches.set(id, diffShape(before, shape));
    }
    for (const [id, patch] of releasedBindings(after)) patches.set(id, { ...patches.get(id), ...patch });
    // A frame resized from a top or left handle moves its origin; what is in it stays put.
    for (const [id, patch] of childrenKeptInPlace(ctx.board, patches)) patches.set(id, patch);
    ctx.board.updateShapes(patches);
  };

  /** Shapes a drag by (dx, dy) leaves, as they are now on the board. */
  const dragged = (ids: ReadonlySet<string>, dx: number, dy: number): Map<string, NewShape> => {
    const moved = new Map<string, NewShape>();
    for (const id of ids) {
      const shape = ctx.board.get(id);
      if (shape) moved.set(id, { ...shape, x: shape.x + dx, y: shape.y + dy });
    }
    return moved;
  };

  /** The shapes to preview for a gesture leaving `changed`: those shapes when `own`, and the arrows bound to them. */
  const preview = (changed: ReadonlyMap<string, NewShape>, bound: readonly string[], own: boolean): ReadonlyMap<string, NewShape> | null => {
    const shown = new Map<string, NewShape>(own ? changed : []);
    for (const [id, shape] of followedShapes(ctx.board, changed, bound)) shown.set(id, shape);
    return shown.size > 0 ? shown : null;
  };

  const endGesture = (): void => {
    ctx.draft.setTranslation(null);
    ctx.draft.setOverrides(null);
    ctx.draft.setMarquee(null);
    ctx.snap?.setGuides([]);
  };

  /** A drag's delta, snapped (client/model/snapping.ts): the moving shapes and what they pull are not snapped to. */
  const dragDelta = (dragging: Extract<SelectState, { name: 'dragging' }>, event: BoardPointerEvent): Point => {
    const dx = event.x - dragging.origin.x;
    const dy = event.y - dragging.origin.y;
    return dragging.box === null ? { x: dx, y: dy } : snapDrag(ctx.snap, ctx.board, dragging.box, dragging.exclude, dx, dy, event);
  };

  const marqueeBounds = (origin: Point, event: Point): Bounds => ({
    x: Math.min(origin.x, event.x),
    y: Math.min(origin.y, event.y),
    width: Math.abs(event.x - origin.x),
    height: Math.abs(event.y - origin.y),
  });

  const transformed = (shapes: ReadonlyMap<string, Shape>, transform: GestureTransform): Map<string, NewShape> => {
    const out = new Map<string, NewShape>();
    for (const [id, shape] of shapes) out.set(id, applyTransform(shape, transform));
    return out;
  };

  const resizeOf = (resizing: Extract<SelectState, { name: 'resizing' }>, event: BoardPointerEvent): GestureTransform => {
    const b = resizing.bounds;
    // The dragged handle's edges snap; the shapes resized and the arrows they pull are not snapped to.
    const exclude = new Set([...resizing.shapes.keys(), ...resizing.bound]);
    event = { ...event, ...snapHandle(ctx.snap, ctx.board, event, { x: /[ew]/.test(resizing.handle), y: /[ns]/.test(resizing.handle) }, exclude, event) };
    const anchor = {
      x: resizing.handle.includes('w') ? b.x + b.width : b.x,
      y: resizing.handle.includes('n') ? b.y + b.height : b.y,
    };
    let sx = b.width > 0 ? Math.abs(event.x - anchor.x) / b.width : 1;
    let sy = b.height > 0 ? Math.abs(event.y - anchor.y) / b.height : 1;
    // Shift keeps the proportion, or, when a shape of the selection keeps it by itself (an image), frees it.
    if (event.shiftKey !== resizing.keepsAspect) sx = sy = Math.max(sx, sy);
    sx = Math.max(sx, 0.01);
    sy = Math.max(sy, 0.01);
    // Dragged past the anchor, the box grows on the other side (the shapes are not mirrored).
    const nx = event.x < anchor.x ? anchor.x - b.width * sx : anchor.x;
    const ny = event.y < anchor.y ? anchor.y - b.height * sy : anchor.y;
    return { kind: 'scale', origin: { x: b.x, y: b.y }, sx, sy, to: { x: nx, y: ny } };
  };

  const rotationOf = (rotating: Extract<SelectState, { name: 'rotating' }>, event: BoardPointerEvent): GestureTransform => {
    let degrees = ((Math.atan2(event.y - rotating.center.y, event.x - rotating.center.x) - rotating.startAngle) * 180) / Math.PI;
    if (event.shiftKey) degrees = Math.round(degrees / SNAP_DEGREES) * SNAP_DEGREES;
    return { kind: 'rotate', center: rotating.center, degrees };
  };

  /** Previews a resize or rotation: the shapes it leaves, and its parameters for the others. */
  const previewTransform = (shapes: ReadonlyMap<string, Shape>, bound: readonly string[], transform: GestureTransform): void => {
    ctx.draft.setOverrides(preview(transformed(shapes, transform), bound, true), { ids: [...shapes.keys()], transform });
  };

  /** Out of `group` one level: it is selected whole, inside the group around it, if any. */
  const leaveGroup = (group: string): void => {
    const members = groupMembers(ctx.board, group);
    const outer = members[0]?.groupIds?.[members[0].groupIds.indexOf(group) + 1] ?? null;
    ctx.selection.enter(outer, members.map((member) => member.id));
  };

  const startHandleGesture = (event: BoardPointerEvent): boolean => {
    const shapes = editable();
    // A lone curved arrow's bend handle, at its curve's middle, comes before the box's handles.
    const bend = bendHandle(shapes);
    if (bend !== null && nearHandle(bend, event, event.scale)) {
      state = { name: 'bending', shape: shapes[0]! };
      return true;
    }
    const handles = selectionHandles(shapes, event.scale);
    if (handles === null) return false;
    const handle = handleAt(handles, event, event.scale);
    if (handle === null) return false;
    const byId = new Map(shapes.map((s) => [s.id, s]));
    const bound = boundLinearIds(ctx.board, new Set(byId.keys()));
    if (handle === 'rotate') {
      // Frames stay upright (the schema keeps them so): a rotation turns the rest of the selection.
      for (const [id, shape] of byId) if (holdsShapes(shape)) byId.delete(id);
      if (byId.size === 0) return false;
      const center = { x: handles.bounds.x + handles.bounds.width / 2, y: handles.bounds.y + handles.bounds.height / 2 };
      state = { name: 'rotating', center, startAngle: Math.atan2(event.y - center.y, event.x - center.x), shapes: byId, bound };
    } else {
      // Scale the shapes' geometry: not the padded box the handles sit on, and not the strokes,
      // which keep their width (scaling about a stroke's edge would shift the shape a little).
      const geometry = unionBounds(shapes.map((shape) => ({ ...shape, strokeWidth: 0 })));
      const keepsAspect = shapes.some((shape) => shapeUtil(shape).keepsAspect === true);
      state = { name: 'resizing', handle, bounds: geometry ?? handles.bounds, shapes: byId, bound, keepsAspect };
    }
    return true;
  };

  return {
    id: 'select',
    get state() {
      return state.name;
    },
    pointerDown(event) {
      if (startHandleGesture(event)) return;
      const hit = shapeAt(ctx.board, event, HIT_TOLERANCE_PX / event.scale);
      const entered = ctx.selection.entered;
      if (hit !== null && lastClick?.id === hit.id && event.time - lastClick.time < DOUBLE_CLICK_MS) {
        lastClick = null;
        const group = targetGroup(hit, entered);
        if (group !== null) {
          // Into the group the first click selected: this click picks within it.
          const unit = clickSelection(ctx.board, hit, group);
          ctx.selection.enter(group, unit);
          state = { name: 'pointing', origin: event, hitId: hit.id, unit, onClick: 'none' };
          return;
        }
        if (hasText(hit)) {
          ctx.selection.set([hit.id]);
          ctx.editing.begin({ isNew: false, shape: hit });
          state = { name: 'idle' };
          return;
        }
      }
      const unit = hit === null ? [] : clickSelection(ctx.board, hit, entered);
      let onClick: OnClick = 'none';
      if (hit === null) {
        if (!event.shiftKey) ctx.selection.clear();
      } else if (event.shiftKey) {
        if (ctx.selection.has(hit.id)) onClick = 'deselect';
        else ctx.selection.set([...ctx.selection.ids(), ...unit]);
      } else if (ctx.selection.has(hit.id)) {
        onClick = 'select-only';
      } else {
        ctx.selection.set(unit);
      }
      state = { name: 'pointing', origin: event, hitId: hit?.id ?? null, unit, onClick };
    },
    pointerMove(event) {
      if (state.name === 'pointing') {
        const travel = Math.hypot(event.x - state.origin.x, event.y - state.origin.y) * event.scale;
        if (travel < DRAG_THRESHOLD_PX) return;
        if (state.hitId === null) {
          state = { name: 'marquee', origin: state.origin, base: event.shiftKey ? ctx.selection.ids() : new Set() };
        } else {
          // A frame's children move with it, and are shown moving with it.
          const ids = withChildren(ctx.board, editable().map((s) => s.id));
          if (ids.size === 0) return;
          const bound = boundLinearIds(ctx.board, ids);
          const box = unionBounds([...ids].flatMap((id) => ctx.board.get(id) ?? []).map((s) => ({ ...s, strokeWidth: 0 })));
          state = { name: 'dragging', origin: state.origin, ids, bound, box, exclude: new Set([...ids, ...bound]) };
        }
      }
      switch (state.name) {
        case 'dragging': {
          const { x: dx, y: dy } = dragDelta(state, event);
          ctx.draft.setTranslation({ ids: state.ids, dx, dy });
          // The dragged shapes are drawn by the translation; the arrows they pull need overrides.
          if (state.bound.length > 0) ctx.draft.setOverrides(preview(dragged(state.ids, dx, dy), state.bound, false));
          return;
        }
        case 'marquee': {
          const box = marqueeBounds(state.origin, event);
          ctx.draft.setMarquee(box);
          const inside = marqueeSelection(ctx.board.ordered(), ctx.selection.entered, (s) => contains(box, shapeBounds(s)));
          ctx.selection.set([...state.base, ...inside]);
          return;
        }
        case 'resizing':
          previewTransform(state.shapes, state.bound, resizeOf(state, event));
          return;
        case 'rotating':
          previewTransform(state.shapes, state.bound, rotationOf(state, event));
          return;
        case 'bending':
          ctx.draft.setOverrides(new Map([[state.shape.id, bentThrough(state.shape, event)]]));
          return;
      }
    },
    pointerUp(event) {
      const previous = state;
      state = { name: 'idle' };
      endGesture();
      switch (previous.name) {
        case 'dragging': {
          const { x: dx, y: dy } = dragDelta(previous, event);
          ctx.snap?.setGuides([]);
          // moveShapes adds the delta to where the shapes are now, so a concurrent move is kept.
          // The whole board is searched for bound arrows: one may have been drawn meanwhile.
          const moved = dragged(previous.ids, dx, dy);
          // Each shape dropped lands in the frame under it, or leaves its frame: same undo step.
          const framed = dropIntoFrames(ctx.board, previous.ids, dx, dy);
          ctx.board.batch(() => {
            ctx.board.moveShapes(previous.ids, dx, dy);
            ctx.board.updateShapes(releasedBindings(moved));
            ctx.board.updateShapes(framed);
          });
          return;
        }
        case 'pointing':
          // A click on the empty board between two clicks on a shape makes them no double-click
          // (which would open a box's label editor instead of starting a drag).
          if (previous.hitId === null) {
            lastClick = null;
            return;
          }
          if (previous.onClick === 'select-only') ctx.selection.set(previous.unit);
          else if (previous.onClick === 'deselect') {
            const unit = new Set(previous.unit);
            ctx.selection.set([...ctx.selection.ids()].filter((id) => !unit.has(id)));
          }
          lastClick = { id: previous.hitId, time: event.time };
          return;
        case 'resizing':
          commit(transformed(previous.shapes, resizeOf(previous, event)));
          ctx.snap?.setGuides([]);
          return;
        case 'rotating':
          commit(transformed(previous.shapes, rotationOf(previous, event)));
          return;
        case 'bending': {
          // Only the bend is written (one undo step): bending keeps the arrow's ends and bindings.
          const bent = bentThrough(previous.shape, event);
          if ('bend' in bent && 'bend' in previous.shape && bent.bend !== previous.shape.bend) ctx.board.updateShapes(new Map([[bent.id, { bend: bent.bend }]]));
          return;
        }
        default:
          return;
      }
    },
    cancel() {
      endGesture();
      state = { name: 'idle' };
    },
    keyDown(event) {
      if (event.key === 'Delete' || event.key === 'Backspace') {
        if (state.name !== 'idle') this.cancel();
        return deleteSelection(ctx) > 0;
      }
      if (event.key === 'Escape') {
        if (state.name !== 'idle' && state.name !== 'pointing') this.cancel();
        else if (ctx.selection.entered !== null) leaveGroup(ctx.selection.entered);
        else ctx.selection.clear();
        return true;
      }
      return false;
    },
  };
}

function contains(outer: Bounds, inner: Bounds): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}
