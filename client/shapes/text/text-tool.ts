import { hasText } from '../../../shared/schema.ts';
import { newShapeId } from '../../model/ids.ts';
import { createEditingTool } from '../../tools/editing-tool.ts';
import { HIT_TOLERANCE_PX, roundCoordinate, type ShapeToolContext, type Tool } from '../../tools/tool.ts';
import { LINE_HEIGHT } from '../constants.ts';
import type { ShapeTool } from '../shape-util.ts';

/**
 * Text: idle → (click) → editing → idle. A click on empty board starts a new text there, a click
 * on a shape with text (a text, a note) edits it. Typing happens in the text editor; the document gets it as it is
 * typed, and a new text is added with its first visible character (never added if none).
 */
export function createTextTool(ctx: ShapeToolContext): Tool {
  return createEditingTool(ctx, 'text', (event) => {
    const hit = ctx.shapeAt(event, HIT_TOLERANCE_PX / event.scale);
    if (hit !== null && hasText(hit)) {
      ctx.editing.begin({ isNew: false, shape: hit });
      return;
    }
    const style = ctx.style();
    ctx.editing.begin({
      isNew: true,
      shape: ctx.placeInFrame({
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
      }),
    });
  });
}

/** The text tool (T). */
export const textTool: ShapeTool<'text'> = {
  id: 'text',
  label: 'Text',
  key: 't',
  icon: '<path d="M5 6.5V5h14v1.5"/><path d="M12 5v14"/><path d="M9.5 19h5"/>',
  cursor: 'text',
  create: createTextTool,
};
