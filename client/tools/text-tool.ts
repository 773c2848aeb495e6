import { hasText } from '../../shared/schema.ts';
import { newShapeId } from '../model/ids.ts';
import { LINE_HEIGHT } from '../shapes/constants.ts';
import { shapeAt } from '../model/shape-at.ts';
import { createEditingTool } from './editing-tool.ts';
import { HIT_TOLERANCE_PX, roundCoordinate, type Tool, type ToolContext } from './tool.ts';

/**
 * Text: idle → (click) → editing → idle. A click on empty board starts a new text there, a click
 * on a text or sticky edits it. Typing happens in the text editor; the document gets it as it is
 * typed, and a new text is added with its first visible character (never added if none).
 */
export function createTextTool(ctx: ToolContext): Tool {
  return createEditingTool(ctx, 'text', (event) => {
    const hit = shapeAt(ctx.board, event, HIT_TOLERANCE_PX / event.scale);
    if (hit !== null && hasText(hit)) {
      ctx.editing.begin({ isNew: false, shape: hit });
      return;
    }
    const style = ctx.style();
    ctx.editing.begin({
      isNew: true,
      shape: {
        ...style,
        id: newShapeId(),
        type: 'text',
        // The click marks the middle of the first line, where the caret shows.
        x: roundCoordinate(event.x),
        y: roundCoordinate(event.y - (style.fontSize * LINE_HEIGHT) / 2),
        rotation: 0,
        locked: false,
        text: '',
        width: 0,
      },
    });
  });
}
