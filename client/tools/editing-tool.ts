import { cancelOnEscape, type BoardPointerEvent, type Tool, type ToolContext } from './tool.ts';

/**
 * The tool of a type with text (text, sticky note): idle → (click) → editing → idle. A click
 * while editing only finishes the edit; any other click goes to `place`, which starts editing (a
 * new shape, or one clicked on).
 * Typing happens in the text editor, which writes each keystroke to the document as it is typed
 * (one undo step per burst of typing); Enter, Escape or a click elsewhere finishes.
 */
export function createEditingTool(ctx: ToolContext, id: string, place: (event: BoardPointerEvent) => void): Tool {
  return {
    id,
    get state() {
      return ctx.editing.target === null ? 'idle' : 'editing';
    },
    pointerDown(event) {
      if (ctx.editing.target !== null) {
        ctx.editing.finish();
        return;
      }
      place(event);
    },
    pointerMove() {},
    pointerUp() {},
    cancel() {
      ctx.editing.finish();
    },
    keyDown: cancelOnEscape,
  };
}
