/**
 * Snapping (client/model/snapping.ts, snap-state.ts): candidates from a region query of the real
 * spatial index, edges and centres within and outside the distance, equal gaps, the guides given,
 * the grid, and the select tool snapping drags and resizes (Alt or the settings turning it off),
 * with what the draft shows (and presence sends) snapped too.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { createSpatialIndex } from '../../client/canvas/spatial-index.ts';
import { shapeBounds } from '../../client/model/geometry.ts';
import type { Bounds } from '../../client/model/plane.ts';
import { createSnapState, snapContext } from '../../client/model/snap-state.ts';
import { grow, snapBounds, snapBox, snapCandidates, snapPoint, toGrid, GRID_SIZE, SNAP_REACH_PX } from '../../client/model/snapping.ts';
import { selectionHandles } from '../../client/model/selection-handles.ts';
import { createCommands } from '../../client/ui/commands.ts';
import { matchesCombo, type KeyPress } from '../../client/ui/keymap.ts';
import { createHistory } from '../../client/model/history.ts';
import { addRect, createToolHarness } from '../helpers/tool-harness.ts';

const box = (x: number, y: number, width = 100, height = 100): Bounds => ({ x, y, width, height });

describe('snapBox', () => {
  test('an edge within the distance snaps to the nearest edge or centre; outside it, nothing', () => {
    const near = snapBox(box(104, 300), [box(0, 0)], 8);
    assert.equal(near.dx, -4, "the left edge goes onto the candidate's right edge (100)");
    assert.equal(near.dy, 0);
    const far = snapBox(box(112, 300), [box(0, 0)], 8);
    assert.deepEqual(far, { dx: 0, dy: 0, guides: [] });
  });

  test('centres snap to centres, and the nearer line wins', () => {
    const moved = snapBox(box(300, 33, 30, 30), [box(0, 0, 100, 100)], 8);
    assert.equal(moved.dy, 2, 'centre 48 → 50');
    const nearer = snapBox(box(97, 300), [box(0, 0), box(98.5, 500)], 8);
    assert.equal(nearer.dx, 1.5, 'to 98.5 (1.5 away) rather than 100 (3 away)');
  });

  test('an aligned edge is shown by a guide through the box and the candidate', () => {
    const { guides } = snapBox(box(103, 300), [box(0, 0)], 8);
    assert.deepEqual(guides, [{ kind: 'align', from: { x: 100, y: 0 }, to: { x: 100, y: 400 } }]);
  });

  test('equal gaps: after two shapes in a row, the gap between them is repeated', () => {
    const row = [box(0, 0), box(150, 10)];
    // 50 between the two; the box at 295 is 45 from the second: it goes to 300.
    const snapped = snapBox(box(295, 30), row, 8);
    assert.equal(snapped.dx, 5);
    const gaps = snapped.guides.filter((g) => g.kind === 'gap');
    assert.equal(gaps.length, 2);
    for (const g of gaps) assert.equal(g.to.x - g.from.x, 50, 'both gaps drawn, equal');
    // Before them too, and in a column.
    assert.equal(snapBox(box(-147, 0), row, 8).dx, -3);
    assert.equal(snapBox(box(20, 304), [box(0, 0), box(10, 150)], 8).dy, -4);
  });

  test('equal gaps only count shapes in the same row', () => {
    const snapped = snapBox(box(295, 500), [box(0, 0), box(150, 10)], 8);
    assert.equal(snapped.dx, 0);
  });

  test('midway between two neighbours', () => {
    // 100..250 leaves 150 for a 50-wide box: 50 either side puts it at 150.
    assert.equal(snapBox(box(140, 0, 50, 100), [box(0, 0), box(250, 0)], 4).dx, 0, 'too far');
    assert.equal(snapBox(box(148, 0, 50, 100), [box(0, 0), box(250, 0)], 4).dx, 2);
  });

  test('snapPoint: a resize handle snaps on the axes it moves only', () => {
    const { point, guides } = snapPoint({ x: 203, y: 97 }, { x: true, y: false }, [box(100, 0)], 8);
    assert.deepEqual(point, { x: 200, y: 97 });
    assert.equal(guides.length, 1);
    assert.deepEqual(snapPoint({ x: 230, y: 97 }, { x: true, y: true }, [box(100, 0)], 8).point, { x: 230, y: 100 });
  });

  test('the grid', () => {
    assert.equal(toGrid(35), GRID_SIZE);
    assert.equal(toGrid(37), 2 * GRID_SIZE);
  });
});

describe('candidates', () => {
  test('from a region query of the spatial index, never the moving shapes or far ones', () => {
    const t = createToolHarness();
    addRect(t.board, 'moving', 0, 0);
    addRect(t.board, 'near', 200, 0);
    addRect(t.board, 'far', 5000, 0);
    const index = createSpatialIndex();
    for (const shape of t.board.ordered()) index.set(shape.id, shapeBounds(shape));
    const region = grow(shapeBounds(t.board.get('moving')!), 300);
    const found = snapCandidates(t.board, index.query(region), new Set(['moving']));
    assert.deepEqual(found, [snapBounds(t.board.get('near')!)]);
    t.close();
  });
});

/** The select tool with snapping, candidates from a real spatial index kept by hand, and every region asked for. */
function snapping(settings: { objects?: boolean; grid?: boolean } = {}) {
  const state = createSnapState(settings);
  const index = createSpatialIndex();
  const regions: Bounds[] = [];
  const t = createToolHarness('select', undefined, {
    snap: snapContext(state, (region) => {
      regions.push(region);
      return index.query(region);
    }),
  });
  const reindex = (): void => {
    for (const shape of t.board.ordered()) index.set(shape.id, shapeBounds(shape));
  };
  return { ...t, state, regions, reindex };
}

describe('select tool', () => {
  test('a drag that ends near an edge lands on it, shown snapped while it runs, guides until release', () => {
    const t = snapping();
    addRect(t.board, 'target', 0, 0);
    addRect(t.board, 'moved', 0, 300);
    t.reindex();
    t.transactions.length = 0;
    const guidesSeen: number[] = [];
    t.state.onChange(() => guidesSeen.push(t.state.guides.length));
    t.toolbox.pointerDown(t.event(50, 350));
    t.toolbox.pointerMove(t.event(80, 352));
    t.toolbox.pointerMove(t.event(155, 353));
    // Left edge 105 → snapped to 100 (target's right edge, strokes aside); the others see the snapped move.
    assert.deepEqual(t.draft.translation && { dx: t.draft.translation.dx, dy: t.draft.translation.dy }, { dx: 100, dy: 3 });
    assert.ok(t.state.guides.some((g) => g.kind === 'align' && g.from.x === 100), 'a guide at the edge');
    t.toolbox.pointerUp(t.event(155, 353));
    assert.equal(t.board.get('moved')!.x, 100);
    assert.deepEqual(t.state.guides, [], 'no guide once dropped');
    assert.deepEqual(t.transactions, [LOCAL_ORIGIN]);
    assert.ok(guidesSeen.length > 0);
    // Asked for the shapes near the moving box only.
    for (const region of t.regions) assert.ok(region.width <= 100 + 2 * SNAP_REACH_PX + 1);
    t.close();
  });

  test('Alt held, or snapping turned off: the drag is as the pointer went', () => {
    for (const [label, setup, alt] of [['Alt', {}, true], ['off', { objects: false }, false]] as const) {
      const t = snapping(setup);
      addRect(t.board, 'target', 0, 0);
      addRect(t.board, 'moved', 0, 300);
      t.reindex();
      t.gesture([[50, 350], [80, 352], [155, 353]], { altKey: alt });
      assert.equal(t.board.get('moved')!.x, 105, label);
      assert.equal(t.regions.length, 0, `${label}: no query at all`);
      t.close();
    }
  });

  test('grid snapping puts the moved box on the grid', () => {
    const t = snapping({ grid: true });
    addRect(t.board, 'moved', 0, 0);
    t.reindex();
    t.gesture([[50, 50], [70, 60], [90, 61]]);
    const b = snapBounds(t.board.get('moved')!);
    assert.deepEqual([b.x, b.y], [48, 0], 'moved by (40, 11): the top-left to the nearest grid point');
    t.close();
  });

  test('a resize handle snaps to a nearby edge', () => {
    const t = snapping();
    addRect(t.board, 'target', 300, 0);
    addRect(t.board, 'resized', 0, 200, 100, 80);
    t.reindex();
    t.selection.set(['resized']);
    const handles = selectionHandles([t.board.get('resized')!], t.camera.viewport().scale)!;
    const se = handles.points.se;
    t.gesture([[se.x, se.y], [se.x + 100, se.y + 5], [se.x + 196, se.y + 5]]);
    // The right edge lands on target's left edge (both without their strokes).
    const resized = t.board.get('resized') as { x: number; width: number };
    assert.equal(resized.x + resized.width, 300);
    t.close();
  });
});

describe('settings', () => {
  test("snapping to shapes starts on and the grid off; Alt+S and Ctrl+' (Excalidraw's keys) switch them", () => {
    const t = createToolHarness();
    const history = createHistory(t.doc);
    const snap = createSnapState();
    assert.deepEqual([snap.objects, snap.grid], [true, false]);
    const commands = createCommands({ board: t.board, selection: t.selection, history, camera: t.camera, toolbox: t.toolbox, screen: () => ({ width: 800, height: 600 }), snap });
    const press = (key: KeyPress) => commands.find((command) => command.keys.some((combo) => matchesCombo(key, combo)))?.run();
    const key = (k: string, extra: Partial<KeyPress>): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...extra });
    press(key('s', { altKey: true }));
    assert.equal(snap.objects, false);
    // On a German keyboard the key right of Ä types "#": matched by the physical key.
    press(key('#', { ctrlKey: true, code: 'Quote' }));
    assert.equal(snap.grid, true);
    press(key("'", { ctrlKey: true }));
    assert.equal(snap.grid, false);
    assert.equal(t.transactions.length, 0, 'settings never touch the document');
    history.close();
    snap.close();
    t.close();
  });

  test('guides: a change is told only when there are guides to show or to take away', () => {
    const snap = createSnapState();
    let told = 0;
    snap.onChange((change) => change.guides && told++);
    snap.setGuides([]);
    assert.equal(told, 0);
    snap.setGuides([{ kind: 'align', from: { x: 0, y: 0 }, to: { x: 0, y: 10 } }]);
    snap.setGuides([]);
    assert.equal(told, 2);
    snap.close();
  });
});
