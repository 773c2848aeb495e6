/**
 * Random edits of a board, drawn from a seeded PRNG and made through the shared document API
 * (shared/doc.ts), each in its own LOCAL_ORIGIN transaction as the app makes them. Targets are
 * picked among the shapes the document holds, in z-order, so the same document and the same
 * random sequence always make the same edit.
 */
import type * as Y from 'yjs';
import { deleteShape, indexAbove, indexBetween, readAllShapes, updateShape, writeShape } from '../../shared/doc.ts';
import { DASH_STYLES, DEFAULT_STYLE, FILL_STYLES, SHAPE_TYPES, type Shape, type ShapeBase, type ShapeStyle, NO_LABEL } from '../../shared/schema.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

export const EDIT_KINDS = ['create', 'move', 'restyle', 'reorder', 'delete', 'frame', 'group'] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

/** One edit made, for the trace of a run. */
export interface Edit {
  kind: EditKind;
  id: string;
  detail: string;
}

/**
 * Fractional keys grow by about a character each time one is put between close neighbours; a
 * reorder whose key would pass this takes the top instead, so a long run never makes a key the
 * schema refuses (256 characters).
 */
const MAX_GENERATED_INDEX = 64;

const WORDS = ['plan', 'idea', 'todo', 'ship it', 'review', 'bug?', 'Ünïcödé ✓', 'a much longer note about the board'];

/** Integer-valued picks from one PRNG. */
export class Picker {
  constructor(readonly random: () => number) {}

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  one<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Picker.one of an empty list');
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** An item chosen with probability proportional to its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let at = this.random() * total;
    for (const [item, weight] of choices) {
      at -= weight;
      if (at < 0) return item;
    }
    return choices[choices.length - 1]![0];
  }
}

function color(pick: Picker): string {
  if (pick.chance(0.1)) return 'transparent';
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  const rgb = `#${hex(pick.int(0, 255))}${hex(pick.int(0, 255))}${hex(pick.int(0, 255))}`;
  return pick.chance(0.2) ? `${rgb}${hex(pick.int(0, 255))}` : rgb;
}

/** One to three style fields set to new valid values. */
function randomStyle(pick: Picker): Partial<ShapeStyle> {
  const makers: Record<keyof ShapeStyle, () => ShapeStyle[keyof ShapeStyle]> = {
    strokeColor: () => color(pick),
    fillColor: () => color(pick),
    fillStyle: () => pick.one(FILL_STYLES),
    strokeWidth: () => pick.int(0, 40) / 2,
    dash: () => pick.one(DASH_STYLES),
    opacity: () => pick.int(0, 20) / 20,
    fontSize: () => pick.int(8, 96),
  };
  const keys = Object.keys(makers) as Array<keyof ShapeStyle>;
  const style: Partial<Record<keyof ShapeStyle, unknown>> = {};
  for (let n = pick.int(1, 3); n > 0; n--) {
    const key = pick.one(keys);
    style[key] = makers[key]();
  }
  return style as Partial<ShapeStyle>;
}

function points(pick: Picker, stride: 2 | 3): number[] {
  const out: number[] = [];
  for (let n = pick.int(2, 8); n > 0; n--) {
    out.push(pick.int(-300, 300), pick.int(-300, 300));
    if (stride === 3) out.push(pick.int(1, 10) / 10);
  }
  return out;
}

/** A new shape of a random type with every field valid. */
function randomShape(pick: Picker, id: string, index: string, existing: readonly Shape[]): Shape {
  const base: ShapeBase = {
    id,
    x: pick.int(-2000, 2000),
    y: pick.int(-2000, 2000),
    rotation: pick.chance(0.7) ? 0 : pick.int(0, 359),
    index,
    locked: pick.chance(0.05),
    ...DEFAULT_STYLE,
    ...randomStyle(pick),
  };
  const type = pick.one(SHAPE_TYPES);
  switch (type) {
    case 'rect':
    case 'ellipse':
    case 'diamond':
      return { ...base, type, ...NO_LABEL, width: pick.int(0, 500), height: pick.int(0, 500) };
    case 'ink':
      return { ...base, type, points: points(pick, 3) };
    case 'line':
    case 'arrow': {
      const binding = (): string | null => (existing.length > 0 && pick.chance(0.4) ? pick.one(existing).id : null);
      return {
        ...base,
        type,
        points: points(pick, 2),
        startBinding: binding(),
        endBinding: binding(),
        startAnchor: null, endAnchor: null, startArrowhead: pick.chance(0.2) ? ('triangle' as const) : ('none' as const), arrowKind: 'straight' as const, bend: 0, text: '',
        endArrowhead: type === 'arrow' ? ('arrow' as const) : ('none' as const),
      };
    }
    case 'text':
      return { ...base, type, text: pick.one(WORDS), width: pick.chance(0.5) ? 0 : pick.int(20, 400) };
    case 'sticky':
      return { ...base, type, textAlign: 'left' as const, verticalAlign: 'top' as const, text: pick.one(WORDS), width: pick.int(50, 300), height: pick.int(50, 300) };
    case 'frame':
      return { ...base, type, rotation: 0, width: pick.int(0, 800), height: pick.int(0, 800), name: pick.one(WORDS) };
    case 'image': {
      const width = pick.int(1, 600);
      const height = pick.int(1, 600);
      return { ...base, type, width, height, naturalWidth: width * 2, naturalHeight: height * 2, assetId: String(pick.int(0, 9)).repeat(64) };
    }
  }
}

/**
 * A key to put a shape at position `at` among `others` (in z-order, without it). Two shapes made
 * at once by two clients may share a key, and a key must lie strictly between its neighbours,
 * so the upper neighbour is the first one above the lower's key.
 */
function indexAt(others: readonly Shape[], at: number): string {
  const below = others[at - 1]?.index ?? null;
  let next = at;
  while (below !== null && next < others.length && others[next]!.index <= below) next++;
  const key = indexBetween(below, others[next]?.index ?? null);
  return key.length <= MAX_GENERATED_INDEX ? key : indexAbove(others);
}

/**
 * Makes one random edit in `doc` (a create when the board is empty) and says what it did.
 * `newId` names created shapes; it must never repeat across clients.
 */
export function randomEdit(doc: Y.Doc, pick: Picker, newId: () => string): Edit {
  const shapes = readAllShapes(doc);
  // Deletes catch up with creates as the board fills, so a long run stays a few dozen shapes.
  const kind: EditKind =
    shapes.length === 0
      ? 'create'
      : pick.weighted<EditKind>([
          ['create', 3],
          ['move', 3],
          ['restyle', 2],
          ['reorder', 2],
          ['delete', 1 + shapes.length / 10],
          ['frame', 1],
          ['group', 1],
        ]);
  let edit: Edit;
  doc.transact(() => {
    if (kind === 'create') {
      const id = newId();
      const index = pick.chance(0.7) ? indexAbove(shapes) : indexAt(shapes, pick.int(0, shapes.length));
      const shape = randomShape(pick, id, index, shapes);
      writeShape(doc, shape);
      edit = { kind, id, detail: `${shape.type} at ${index}` };
      return;
    }
    const target = pick.one(shapes);
    switch (kind) {
      case 'move': {
        const x = target.x + pick.int(-200, 200);
        const y = target.y + pick.int(-200, 200);
        updateShape(doc, target.id, { x, y });
        edit = { kind, id: target.id, detail: `to ${x},${y}` };
        break;
      }
      case 'restyle': {
        const style = randomStyle(pick);
        updateShape(doc, target.id, style);
        edit = { kind, id: target.id, detail: JSON.stringify(style) };
        break;
      }
      case 'reorder': {
        const others = shapes.filter((shape) => shape.id !== target.id);
        const index = indexAt(others, pick.int(0, others.length));
        updateShape(doc, target.id, { index });
        edit = { kind, id: target.id, detail: `to ${index}` };
        break;
      }
      case 'delete':
        deleteShape(doc, target.id);
        edit = { kind, id: target.id, detail: '' };
        break;
      case 'frame': {
        // Into a frame, out of it, or into another: a frame itself the gate keeps out of frames.
        const frames = shapes.filter((shape) => shape.type === 'frame' && shape.id !== target.id);
        const frameId = frames.length > 0 && pick.chance(0.7) ? pick.one(frames).id : null;
        updateShape(doc, target.id, { frameId });
        edit = { kind, id: target.id, detail: `into ${frameId ?? 'no frame'}` };
        break;
      }
      case 'group': {
        // Group the target with up to two others (a new outermost group), or ungroup it.
        const members = [target, ...Array.from({ length: pick.int(0, 2) }, () => pick.one(shapes))];
        const ungroup = target.groupIds !== undefined && pick.chance(0.4);
        const groupId = ungroup ? target.groupIds![target.groupIds!.length - 1]! : `g${newId()}`;
        for (const member of new Set(members)) {
          const groupIds = member.groupIds ?? [];
          updateShape(doc, member.id, { groupIds: ungroup ? groupIds.filter((id) => id !== groupId) : [...groupIds, groupId] });
        }
        edit = { kind, id: target.id, detail: `${ungroup ? 'ungrouped from' : 'grouped in'} ${groupId}` };
        break;
      }
    }
  }, LOCAL_ORIGIN);
  return edit!;
}
