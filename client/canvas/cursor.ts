import type { Toolbox } from '../tools/toolbox.ts';
import type { ToolId } from '../tools/tool.ts';

const CURSORS: Record<ToolId, string> = {
  select: 'default',
  hand: 'grab',
  pen: 'crosshair',
  rectangle: 'crosshair',
  ellipse: 'crosshair',
  diamond: 'crosshair',
  line: 'crosshair',
  arrow: 'crosshair',
  text: 'text',
  sticky: 'copy',
  eraser: 'cell',
  laser: 'crosshair',
};

/** Shows the active tool's cursor over the board. */
export function createCursor(element: HTMLElement, toolbox: Toolbox): { close(): void } {
  const show = (id: ToolId): void => {
    element.style.cursor = CURSORS[id];
  };
  show(toolbox.active);
  const off = toolbox.onChange(show);
  return { close: off };
}
