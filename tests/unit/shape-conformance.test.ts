/**
 * The shape conformance suite: every registered shape type (shared/schema.ts SHAPE_DEFS and
 * client/shapes/registry.ts SHAPE_UTILS) passes the same checks, so a type added to the
 * registries is tested here without a test written for it. Each type is tested with its own
 * example record (tests/helpers/shape-samples.ts). What needs pixels (bounds against what the
 * view draws, the SVG as a browser renders it) is in tests/e2e/shape-conformance.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { getShapesMap, readAllShapes, readShapeFromDoc, shapeText, writeShape } from '../../shared/doc.ts';
import { REMOTE_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, hasText, readShape, SHAPE_TYPES, shapeFields, type Shape, type ShapeProblem } from '../../shared/schema.ts';
import { createBoard } from '../../client/model/board.ts';
import { parseShapes, serializeShapes } from '../../client/model/clipboard-data.ts';
import { hitShape, localBounds, rotate, shapeBounds, type Bounds, type Point } from '../../client/model/geometry.ts';
import { createHistory } from '../../client/model/history.ts';
import { selectionHandles } from '../../client/model/selection-handles.ts';
import { diffShape, unionBounds } from '../../client/model/transform.ts';
import { parseBoardFile, serializeBoard } from '../../shared/board-file.ts';
import { exportSvg } from '../../client/export/svg-export.ts';
import { SHAPE_UTILS } from '../../client/shapes/registry.ts';
import { addCopies } from '../../client/tools/actions/duplicate.ts';
import { TOOL_CATALOG } from '../../client/ui/tool-catalog.ts';
import { createToolHarness } from '../helpers/tool-harness.ts';
import { DEFS, samples } from '../helpers/shape-samples.ts';

/** Values a broken or hostile record may hold in any field. */
const BROKEN_VALUES: readonly unknown[] = [undefined, null, NaN, Infinity, -1, 1e12, 0, '', 'x', true, {}, [], [1, 'a'], [Number.NaN, 0, 0, 0]];
const STYLE_FIELDS = Object.keys(DEFAULT_STYLE);

/** Every number anywhere in `value` is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite);
  return true;
}

function grow(b: Bounds, by: number): Bounds {
  return { x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by };
}

function inside(b: Bounds, p: Point, slack = 1e-6): boolean {
  return p.x >= b.x - slack && p.y >= b.y - slack && p.x <= b.x + b.width + slack && p.y <= b.y + b.height + slack;
}

/** Points on a grid over `b` and a margin around it, off the round numbers shapes have edges on. */
function gridOver(b: Bounds, margin: number, steps = 40): Point[] {
  const points: Point[] = [];
  const w = b.width + 2 * margin;
  const h = b.height + 2 * margin;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) points.push({ x: b.x - margin + (w * (i + 0.37)) / (steps + 1), y: b.y - margin + (h * (j + 0.61)) / (steps + 1) });
  }
  return points;
}

/** A point on the shape, on a grid over its bounds, at least `clear` from every point of `avoid`. */
function pointOn(shape: Shape, avoid: readonly Point[] = [], clear = 0): Point {
  const found = gridOver(shapeBounds(shape), 0).find((p) => hitShape(shape, p, 0) && avoid.every((a) => Math.hypot(a.x - p.x, a.y - p.y) > clear));
  assert.ok(found, `${shape.type}: some point of its bounds hits it`);
  return found;
}

/** A doc holding `shape`, written as another user's (so the local history has nothing to undo yet). */
function boardWith(shape: Shape) {
  const t = createToolHarness('select');
  t.doc.transact(() => writeShape(t.doc, shape), REMOTE_ORIGIN);
  const history = createHistory(t.doc);
  return {
    ...t,
    history,
    stored: (): Shape => {
      const stored = t.board.get(shape.id);
      assert.ok(stored, 'the shape is on the board');
      return stored;
    },
    close() {
      history.close();
      t.close();
    },
  };
}

describe('the shape registries', () => {
  test('client and schema know the same types; a util has text exactly when its type has', () => {
    assert.deepEqual(new Set(SHAPE_UTILS.map((util) => util.type)), new Set(SHAPE_TYPES));
    assert.equal(SHAPE_UTILS.length, SHAPE_TYPES.length, 'one util per type');
    for (const def of DEFS) {
      const util = SHAPE_UTILS.find((u) => u.type === def.type)!;
      assert.equal(util.text !== undefined, def.text !== undefined, `${def.type}: util.text and ShapeDef.text agree`);
    }
  });

  test('every tool, the shape types’ included, has its own id and key in the toolbar catalog', () => {
    const ids = TOOL_CATALOG.map((tool) => tool.id);
    const keys = TOOL_CATALOG.map((tool) => tool.key);
    assert.equal(new Set(ids).size, ids.length, `ids ${ids.join(' ')}`);
    assert.equal(new Set(keys).size, keys.length, `keys ${keys.join(' ')}`);
    for (const util of SHAPE_UTILS) assert.ok(ids.includes(util.tool.id), `${util.type}'s tool is in the catalog`);
    // A letter, or a digit where that is the key people know (the image tool's 9, as in Excalidraw).
    for (const tool of TOOL_CATALOG) assert.match(tool.key, /^[a-z0-9]$/, `${tool.id}: a one-character key`);
  });
});

for (const def of DEFS) {
  describe(`shape type ${def.type}`, () => {
    const util = SHAPE_UTILS.find((u) => u.type === def.type);

    test('its example passes the gate unchanged and round-trips through a Y.Doc and its updates', () => {
      for (const { name, shape } of samples(def)) {
        assert.deepEqual(readShape(shape.id, shapeFields(shape)), { ok: true, shape }, `${name}: the gate keeps it as it is`);
        const doc = new Y.Doc();
        doc.transact(() => writeShape(doc, shape));
        assert.deepEqual(readShapeFromDoc(doc, shape.id), { ok: true, shape }, `${name}: read back from the doc`);
        // An empty label is not stored (ShapeDef.text.optional): its first keystroke makes the Y.Text.
        const stored = def.text !== undefined && !(def.text.optional === true && hasText(shape) && shape.text === '');
        assert.equal(shapeText(doc, shape.id) !== null, stored, `${name}: a Y.Text in the doc exactly when the type has text, unless it is an empty label`);
        const other = new Y.Doc();
        Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
        assert.deepEqual(readAllShapes(other), [shape], `${name}: through an update into another doc`);
      }
    });

    test('broken fields are repaired or the record refused, never thrown on; a repaired shape is valid', () => {
      const shape = samples(def)[0]!.shape;
      const record: Record<string, unknown> = { ...shapeFields(shape) };
      let refused = 0;
      let repaired = 0;
      for (const field of Object.keys(record)) {
        for (const value of BROKEN_VALUES) {
          const broken = { ...record, [field]: value };
          if (value === undefined) delete broken[field];
          const label = `${field} = ${JSON.stringify(value) ?? 'missing'}`;
          let result: ReturnType<typeof readShape>;
          assert.doesNotThrow(() => (result = readShape(shape.id, broken)), label);
          result = readShape(shape.id, broken);
          if (!result.ok) {
            refused++;
            assert.ok(!STYLE_FIELDS.includes(field), `${label}: a style field is repaired, never a reason to refuse`);
            assert.equal(result.problem.id, shape.id);
            assert.ok(result.problem.reason.length > 0, `${label}: says why`);
            continue;
          }
          repaired++;
          assert.equal(result.shape.type, def.type, label);
          assert.ok(allFinite(result.shape), `${label}: no NaN or Infinity gets through`);
          assert.deepEqual(readShape(shape.id, shapeFields(result.shape)), result, `${label}: what the gate returns passes it unchanged`);
          if (STYLE_FIELDS.includes(field) && value === undefined) {
            assert.equal(result.shape[field as keyof typeof DEFAULT_STYLE], DEFAULT_STYLE[field as keyof typeof DEFAULT_STYLE], `${label}: the default`);
          }
        }
      }
      assert.ok(refused > 0 && repaired > 0, `some records refused (${refused}), some repaired (${repaired})`);
      for (const type of [undefined, 'no-such-type', 42]) assert.equal(readShape(shape.id, { ...record, type }).ok, false, `type ${String(type)} is refused`);
    });

    test('a broken record in the doc is skipped and reported, or read repaired; the board carries on', () => {
      const shape = samples(def)[0]!.shape;
      const doc = new Y.Doc();
      const board = createBoard(doc);
      const problems: ShapeProblem[] = [];
      const warn = console.warn;
      console.warn = () => {};
      try {
        doc.transact(() => {
          for (const [n, field] of Object.keys(shapeFields(shape)).entries()) {
            const entry = new Y.Map<unknown>();
            for (const [key, value] of Object.entries({ ...shapeFields(shape), [field]: 'broken' })) entry.set(key, value);
            getShapesMap(doc).set(`broken-${n}`, entry);
          }
        });
        const read = readAllShapes(doc, (problem) => problems.push(problem));
        assert.equal(read.length + problems.length, Object.keys(shapeFields(shape)).length, 'every record is read or reported');
        assert.equal(board.size, read.length, 'the board holds what the gate let through');
        for (const stored of read) assert.deepEqual(readShape(stored.id, shapeFields(stored)), { ok: true, shape: stored });
      } finally {
        console.warn = warn;
        board.close();
      }
    });

    test('bounds: finite, placed at the origin, turned with the shape, and holding every point that hits', () => {
      assert.ok(util, 'it has a util');
      // Also at the thinnest widths, where a part that does not scale with the stroke (an
      // arrowhead, ink's pressure) is widest against it.
      const plain = samples(def)[0]!.shape;
      const thin = [0, 1].map((strokeWidth) => ({ name: `stroke width ${strokeWidth}`, shape: { ...plain, strokeWidth } }));
      for (const { name, shape } of [...samples(def), ...thin]) {
        const local = localBounds(shape);
        assert.ok(allFinite(local) && local.width >= 0 && local.height >= 0, `${name}: ${JSON.stringify(local)}`);
        const bounds = shapeBounds(shape);
        const moved = shapeBounds({ ...shape, x: shape.x + 37, y: shape.y - 11 });
        assert.deepEqual([moved.x - bounds.x, moved.y - bounds.y, moved.width, moved.height].map((n) => Math.round(n * 1e6) / 1e6), [37, -11, bounds.width, bounds.height].map((n) => Math.round(n * 1e6) / 1e6), `${name}: moves with the shape`);
        if (shape.rotation === 0) assert.deepEqual(bounds, { x: shape.x + local.x, y: shape.y + local.y, width: local.width, height: local.height }, `${name}: the local box at the origin`);
        // In the shape's own frame, a point that hits is within the local bounds (and the tolerance).
        for (const tolerance of [0, 6]) {
          for (const p of gridOver(bounds, 20)) {
            if (!hitShape(shape, p, tolerance)) continue;
            const own = rotate({ x: p.x - shape.x, y: p.y - shape.y }, -shape.rotation);
            assert.ok(inside(grow(local, tolerance), own), `${name}: ${JSON.stringify(p)} hits (tolerance ${tolerance}) but is outside the bounds`);
          }
        }
      }
    });

    test('hit testing: some point hits, nothing far off does, and a moved or turned shape hits where it went', () => {
      for (const { name, shape } of samples(def)) {
        const bounds = shapeBounds(shape);
        const grid = gridOver(bounds, 30, 30);
        assert.ok(grid.some((p) => hitShape(shape, p, 0)), `${name}: some point hits`);
        assert.ok(!hitShape(shape, { x: bounds.x - 40, y: bounds.y - 40 }, 4), `${name}: a point far off misses`);
        const moved = { ...shape, x: shape.x + 53, y: shape.y + 29 };
        const turned = { ...shape, rotation: (shape.rotation + 90) % 360 };
        const turn = (p: Point): Point => ({ x: shape.x - (p.y - shape.y), y: shape.y + (p.x - shape.x) });
        let mismatches = 0;
        for (const p of grid) {
          const hit = hitShape(shape, p, 2);
          assert.equal(hitShape(moved, { x: p.x + 53, y: p.y + 29 }, 2), hit, `${name}: moved, at ${JSON.stringify(p)}`);
          if (hitShape(turned, turn(p), 2) !== hit) mismatches++;
        }
        // Points within rounding of an edge may land either side of it once turned.
        assert.ok(mismatches <= grid.length / 500, `${name}: turned by 90°, ${mismatches} of ${grid.length} points differ`);
      }
    });

    test('SVG export: one group of its type, placed and turned, with well-formed markup and no NaN', () => {
      for (const { name, shape } of samples(def)) {
        const svg = exportSvg([shape]);
        const groups = [...svg.matchAll(/<g data-id="([^"]*)" data-type="([^"]*)" transform="([^"]*)" opacity="([^"]*)">(.*?)<\/g>$/gm)];
        assert.equal(groups.length, 1, `${name}: one group`);
        const [, id, type, transform, opacity, inner] = groups[0]!;
        assert.deepEqual([id, type, Number(opacity)], [shape.id, def.type, shape.opacity]);
        assert.equal(transform, `translate(${shape.x} ${shape.y})${shape.rotation === 0 ? '' : ` rotate(${shape.rotation})`}`);
        assert.ok(inner!.length > 0, `${name}: the group draws something`);
        assert.doesNotMatch(svg, /NaN|undefined|Infinity|\[object/, `${name}: no broken numbers or values`);
        // Well-formed: every element closed, in order.
        const open: string[] = [];
        for (const [, closing, tag, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)\b[^>]*?(\/?)>/g)) {
          if (closing) assert.equal(open.pop(), tag, `${name}: </${tag}> closes what is open`);
          else if (!selfClosing) open.push(tag!);
        }
        assert.deepEqual(open, [], `${name}: everything opened is closed`);
      }
    });

    test('JSON export and import: the file holds it exactly, and an import is one undo step', () => {
      const shapes = samples(def).map(({ shape }, i) => ({ ...shape, id: `${def.type}-${i}`, index: `a${i}` }));
      const file = serializeBoard(shapes);
      assert.deepEqual(parseBoardFile(file), shapes);
      const doc = new Y.Doc();
      const board = createBoard(doc);
      const history = createHistory(doc);
      board.importShapes(parseBoardFile(file));
      assert.deepEqual(board.ordered(), shapes);
      assert.equal(serializeBoard(board.ordered()), file, 'exporting the import gives the same file');
      history.undo();
      assert.equal(board.size, 0);
      history.close();
      board.close();
    });

    test('copy and paste: the clipboard holds it exactly; the paste is a copy with its own id (and text), one undo step', () => {
      for (const { name, shape } of samples(def)) {
        const t = boardWith(shape);
        assert.deepEqual(parseShapes(serializeShapes([shape])), [shape], `${name}: the clipboard round-trips`);
        const [copyId] = addCopies(t.board, parseShapes(serializeShapes([shape]))!, 16, 16);
        const copy = t.board.get(copyId!);
        assert.ok(copy && copyId !== shape.id, `${name}: pasted with a new id`);
        const { id: _a, index: _b, x, y, ...rest } = copy;
        const { id: _c, index: _d, x: x0, y: y0, ...original } = shape;
        assert.deepEqual([x - x0, y - y0], [16, 16], `${name}: offset from the original`);
        assert.deepEqual(rest, original, `${name}: every other field as copied`);
        if (def.text !== undefined && shapeText(t.doc, shape.id) !== null) assert.notEqual(shapeText(t.doc, copyId!), shapeText(t.doc, shape.id), `${name}: a Y.Text of its own`);
        t.history.undo();
        assert.deepEqual(t.board.ordered(), [shape], `${name}: one undo takes the paste back`);
        t.close();
      }
    });

    test('its tool makes one shape of its type, taken back by one undo', () => {
      assert.ok(util, 'it has a util');
      if (util.tool.pick !== undefined) {
        // A tool that acts once when picked (the image tool's file picker) draws nothing: picking
        // it asks the page once and hands back to the select tool. What the page then inserts is
        // tested with the page (tests/e2e/images.test.ts).
        let asked = 0;
        const t = createToolHarness('select', undefined, { pickImages: () => asked++ });
        t.toolbox.setTool(util.tool.id);
        assert.equal(asked, 1, 'the picker was asked for once');
        assert.equal(t.toolbox.active, 'select', 'back to the select tool');
        assert.equal(t.board.size, 0);
        t.close();
        return;
      }
      const t = createToolHarness('select');
      const history = createHistory(t.doc);
      t.toolbox.setTool(util.tool.id);
      t.gesture([[100, 100], [180, 150], [260, 200]]);
      // A tool that starts typing (text, note) gets some typed.
      if (t.editing.target !== null) {
        t.editing.setText('Typed');
        t.editing.finish();
      }
      assert.deepEqual(t.board.ordered().map((s) => s.type), [def.type]);
      history.undo();
      assert.equal(t.board.size, 0);
      history.close();
      t.close();
    });

    test('create, move, resize and rotate with the select tool: each one undo step, back to exactly what was', () => {
      for (const { name, shape } of samples(def)) {
        const t = boardWith(shape);
        t.selection.set([shape.id]);
        const handles = selectionHandles([shape], 1)!;
        const undoesTo = (expected: Shape, what: string): void => {
          assert.ok(t.history.undo(), `${name}: ${what} can be undone`);
          assert.deepEqual(t.stored(), expected, `${name}: undoing the ${what} restores the shape`);
          assert.equal(t.history.canUndo, false, `${name}: the ${what} was one undo step`);
        };

        // Move: drag from a point on the shape, away from the handles.
        const from = pointOn(shape, Object.values(handles.points), 12);
        t.gesture([[from.x, from.y], [from.x + 20, from.y + 15], [from.x + 40, from.y + 30]]);
        const movedShape = t.stored();
        assert.deepEqual(diffShape(shape, movedShape), { x: shape.x + 40, y: shape.y + 30 }, `${name}: moved by the drag, nothing else changed`);
        undoesTo(shape, 'move');

        // Resize: the south-east handle outwards. The select tool scales the bare geometry (the
        // bounds at stroke width 0) about its opposite corner: that corner stays where it was, to
        // the rounding of coordinates, so a type whose width-0 bounds reach past its geometry shows.
        const se = handles.points.se;
        t.gesture([[se.x, se.y], [se.x + 25, se.y + 20], [se.x + 50, se.y + 40]]);
        const resized = t.stored();
        const before = unionBounds([{ ...shape, strokeWidth: 0 }])!;
        const after = unionBounds([{ ...resized, strokeWidth: 0 }])!;
        assert.ok(after.width > before.width && after.height > before.height, `${name}: resized larger (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
        if (shape.rotation === 0) assert.ok(Math.abs(after.x - before.x) < 0.02 && Math.abs(after.y - before.y) < 0.02, `${name}: about the opposite corner (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
        undoesTo(shape, 'resize');

        // Rotate: the rotate handle a quarter turn about the selection's middle.
        const center = { x: handles.bounds.x + handles.bounds.width / 2, y: handles.bounds.y + handles.bounds.height / 2 };
        const r = center.y - handles.points.rotate.y;
        t.gesture([[handles.points.rotate.x, handles.points.rotate.y], [center.x + r * 0.7, center.y - r * 0.7], [center.x + r, center.y]]);
        if (def.holdsShapes === true) {
          // A type that holds shapes (a frame) stays upright: the rotate handle leaves it as it was.
          assert.deepEqual(t.stored(), shape, `${name}: not turned`);
          assert.equal(t.history.canUndo, false, `${name}: nothing to undo`);
        } else {
          assert.equal(t.stored().rotation, (shape.rotation + 90) % 360, `${name}: turned a quarter`);
          undoesTo(shape, 'rotation');
        }

        // Create: one step, and redo puts back the same shape.
        const created = { ...shape, id: `${shape.id}-new` };
        const { index: _index, ...unplaced } = created;
        const stored = t.board.addShape(unplaced);
        assert.ok(t.history.undo());
        assert.equal(t.board.get(created.id), undefined, `${name}: undoing the create removes it`);
        assert.ok(t.history.redo());
        assert.deepEqual(t.board.get(created.id), stored, `${name}: redo brings it back as it was`);
        t.close();
      }
    });
  });
}
