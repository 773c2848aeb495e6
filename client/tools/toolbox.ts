import { createEraserTool } from './eraser-tool.ts';
import { createHandTool } from './hand-tool.ts';
import { createLaserTool } from './laser-tool.ts';
import { createSelectTool } from './select-tool.ts';
import { createEmitter } from '../model/emitter.ts';
import { placeInFrame } from '../model/frames.ts';
import { shapeAt } from '../model/shape-at.ts';
import { SHAPE_UTILS, type ShapeToolId } from '../shapes/registry.ts';
import type { BoardKeyEvent, BoardPointerEvent, ShapeToolContext, Tool, ToolContext } from './tool.ts';

/** The tools that make no shape of their own, around the shape types' tools (client/shapes/registry.ts). */
export type BaseToolId = 'select' | 'hand' | 'eraser' | 'laser';

/** Every tool of the toolbar; ids double as `data-tool` values in the DOM. */
export type ToolId = BaseToolId | ShapeToolId;

/** Holds the tools, knows which one is active and routes input to it. */
export interface Toolbox {
  readonly active: ToolId;
  /** The active tool (its `state` is what tests and the cursor look at). */
  tool(): Tool;
  setTool(id: ToolId): void;
  pointerDown(event: BoardPointerEvent): void;
  pointerMove(event: BoardPointerEvent): void;
  pointerUp(event: BoardPointerEvent): void;
  cancel(): void;
  keyDown(event: BoardKeyEvent): boolean;
  onChange(listener: (id: ToolId) => void): () => void;
  close(): void;
}

export function createToolbox(ctx: ToolContext, initial: ToolId = 'select'): Toolbox {
  // The shape types' tools cannot import the geometry (it asks the registry they are listed
  // in); the toolbox answers for it.
  const shapeCtx: ShapeToolContext = { ...ctx, shapeAt: (point, tolerance) => shapeAt(ctx.board, point, tolerance), placeInFrame: (shape) => placeInFrame(ctx.board, shape), pickImages: () => ctx.pickImages?.() };
  // Tools that act once when picked (the image tool's file picker) instead of drawing.
  const picks = new Map<string, () => void>();
  for (const util of SHAPE_UTILS) {
    const tool = util.tool as { pick?: (c: ShapeToolContext) => void };
    if (tool.pick !== undefined) picks.set(util.tool.id, () => tool.pick!(shapeCtx));
  }
  const shapeTools = Object.fromEntries(SHAPE_UTILS.map((util) => [util.tool.id, util.tool.create(shapeCtx)])) as Record<ShapeToolId, Tool>;
  const tools: Record<ToolId, Tool> = {
    select: createSelectTool(ctx),
    hand: createHandTool(ctx),
    ...shapeTools,
    eraser: createEraserTool(ctx),
    laser: createLaserTool(ctx),
  };
  let active: ToolId = initial;
  const changes = createEmitter<ToolId>();
  // A throwing tool must not leave the pointer stuck in a half-finished gesture.
  const guard = (fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      tools[active].cancel();
      ctx.draft.clear();
      throw error;
    }
  };

  const setTool = (id: ToolId): void => {
    const pick = picks.get(id);
    if (pick !== undefined) {
      // Within the click or key that picked it, so the browser lets the file picker open.
      pick();
      setTool('select');
      return;
    }
    if (id === active) return;
    tools[active].cancel();
    // Text being typed is kept, whichever tool comes next.
    ctx.editing.finish();
    // A selection only means something to the select tool; drawing tools start clean
    // (the hand only looks around, so it keeps it).
    if (id !== 'select' && id !== 'hand') ctx.selection.clear();
    active = id;
    changes.emit(id);
  };

  return {
    get active() {
      return active;
    },
    tool: () => tools[active],
    setTool,
    pointerDown: (event) => guard(() => tools[active].pointerDown(event)),
    pointerMove: (event) => guard(() => tools[active].pointerMove(event)),
    pointerUp: (event) => guard(() => tools[active].pointerUp(event)),
    cancel: () => tools[active].cancel(),
    keyDown: (event) => tools[active].keyDown(event),
    onChange: (listener) => changes.on(listener),
    close() {
      tools[active].cancel();
      changes.clear();
    },
  };
}
