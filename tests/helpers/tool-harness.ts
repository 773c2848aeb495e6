/**
 * The tools on a real Y.Doc, for unit tests: a board and every model a tool may touch, synthetic
 * board-space pointer events, a recorder of every transaction that changed something, and a
 * driver for whole gestures.
 */
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../../shared/schema.ts';
import { createBoard, type Board } from '../../client/model/board.ts';
import { createSelection } from '../../client/model/selection.ts';
import { createDraft } from '../../client/model/draft.ts';
import { createCamera } from '../../client/model/camera.ts';
import { createTextEditing } from '../../client/model/text-editing.ts';
import { createLaser } from '../../client/model/laser.ts';
import { createToolbox } from '../../client/tools/toolbox.ts';
import type { BoardPointerEvent, ToolContext } from '../../client/tools/tool.ts';
import type { ToolId } from '../../client/tools/toolbox.ts';

/** `doc` defaults to a new one; pass a synced client's to drive the tools of a user on a real server. */
export function createToolHarness(initialTool: ToolId = 'select', doc: Y.Doc = new Y.Doc(), extra: Pick<ToolContext, 'pickImages' | 'snap'> = {}) {
  const board = createBoard(doc);
  const selection = createSelection(board);
  const draft = createDraft();
  const camera = createCamera();
  const editing = createTextEditing(board);
  const laser = createLaser();
  const toolbox = createToolbox({ board, selection, draft, camera, editing, laser, style: () => DEFAULT_STYLE, ...extra }, initialTool);
  /** The origin of every transaction that changed the document, in order. */
  const transactions: unknown[] = [];
  doc.on('afterTransaction', (tx: Y.Transaction) => {
    if (tx.changed.size > 0) transactions.push(tx.origin);
  });
  let time = 1000;
  /** A mouse event at board point (x, y), 16 ms after the previous one, at the camera's scale. */
  const event = (x: number, y: number, extra: Partial<BoardPointerEvent> = {}): BoardPointerEvent => ({
    x,
    y,
    pressure: 0.5,
    pointerType: 'mouse',
    shiftKey: false,
    altKey: false,
    time: (time += 16),
    scale: camera.viewport().scale,
    ...extra,
  });
  /** Lets `ms` pass on the events' clock (so the next click is not part of a double-click). */
  const elapse = (ms: number): void => {
    time += ms;
  };
  /**
   * Drives one gesture: down at the first point, a move to each later point (to the first again
   * if there is no other), up at the last. Returns the tool's states along the way, starting with
   * the state before, repeats dropped.
   */
  const gesture = (points: Array<[number, number]>, extra: Partial<BoardPointerEvent> = {}): string[] => {
    const path = [toolbox.tool().state];
    const [first, ...rest] = points;
    assert.ok(first);
    toolbox.pointerDown(event(first[0], first[1], extra));
    path.push(toolbox.tool().state);
    const last = rest.pop() ?? first;
    for (const [x, y] of rest) {
      toolbox.pointerMove(event(x, y, extra));
      path.push(toolbox.tool().state);
    }
    toolbox.pointerMove(event(last[0], last[1], extra));
    path.push(toolbox.tool().state);
    toolbox.pointerUp(event(last[0], last[1], extra));
    path.push(toolbox.tool().state);
    return path.filter((state, i) => i === 0 || state !== path[i - 1]);
  };
  /** The shape as the user sees it now: stored, with the draft's override or translation applied. */
  const shown = (id: string): Shape | undefined => {
    const stored = board.get(id);
    if (stored === undefined) return undefined;
    const shape = { ...stored, ...draft.overrides?.get(id) } as Shape;
    const t = draft.translation;
    return t !== null && t.ids.has(id) ? { ...shape, x: shape.x + t.dx, y: shape.y + t.dy } : shape;
  };
  const close = (): void => {
    toolbox.close();
    editing.close();
    laser.close();
    camera.close();
    selection.close();
    draft.close();
    board.close();
    doc.destroy();
  };
  return { doc, board, selection, draft, camera, editing, laser, toolbox, transactions, event, elapse, gesture, shown, close };
}

export type ToolHarness = ReturnType<typeof createToolHarness>;

/** Adds an unrotated, unlocked rectangle in the default style. */
export function addRect(board: Board, id: string, x: number, y: number, width = 100, height = 80): Shape {
  return board.addShape({ ...DEFAULT_STYLE, id, type: 'rect', ...NO_LABEL, x, y, width, height, rotation: 0, locked: false });
}

/** The one shape on the board; fails unless there is exactly one. */
export function onlyShape(board: Board): Shape {
  assert.equal(board.size, 1, 'expected exactly one shape on the board');
  return board.ordered()[0]!;
}
