import { newShapeId } from '../../model/ids.ts';
import { createEditingTool } from '../../tools/editing-tool.ts';
import { roundCoordinate, type ShapeToolContext, type Tool } from '../../tools/tool.ts';
import type { ShapeTool } from '../shape-util.ts';

/** Side of a new note, in board units. */
export const STICKY_SIZE = 200;
/** Notes are yellow unless the style panel's fill says otherwise. */
export const STICKY_COLOR = '#ffec99';

/**
 * Sticky note: idle → (click) → editing → idle. A click places a note centred on the pointer and
 * starts typing into it; the note is added with the first keystroke (or empty when editing
 * finishes with nothing typed), and its text as it is typed.
 */
export function createStickyTool(ctx: ShapeToolContext): Tool {
  return createEditingTool(ctx, 'sticky', (event) => {
    const style = ctx.style();
    ctx.editing.begin({
      isNew: true,
      shape: ctx.placeInFrame({
        // A note's text starts at its top left, unless a placement was chosen in the panel.
        textAlign: style.textAlign ?? 'left',
        verticalAlign: style.verticalAlign ?? 'top',
        ...style,
        // A note's card always shows: "no fill" in the panel still gets the note colour.
        fillColor: style.fillStyle === 'none' ? STICKY_COLOR : style.fillColor,
        fillStyle: 'solid',
        id: newShapeId(),
        type: 'sticky',
        x: roundCoordinate(event.x - STICKY_SIZE / 2),
        y: roundCoordinate(event.y - STICKY_SIZE / 2),
        rotation: 0,
        locked: false,
        text: '',
        width: STICKY_SIZE,
        height: STICKY_SIZE,
      }),
    });
  });
}

/** The sticky note tool (N). */
export const stickyTool: ShapeTool<'sticky'> = {
  id: 'sticky',
  label: 'Sticky note',
  key: 'n',
  icon: '<path d="M4.5 4.5h15v10l-5 5h-10z"/><path d="M14.5 19.5v-5h5"/>',
  cursor: 'copy',
  create: createStickyTool,
};
