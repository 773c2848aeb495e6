import type { Toolbox, ToolId } from '../tools/toolbox.ts';
import { TOOL_CATALOG } from '../ui/tool-catalog.ts';

const CURSORS: ReadonlyMap<ToolId, string> = new Map(TOOL_CATALOG.map((tool) => [tool.id, tool.cursor]));

/** Shows the active tool's cursor over the board. */
export function createCursor(element: HTMLElement, toolbox: Toolbox): { close(): void } {
  const show = (id: ToolId): void => {
    element.style.cursor = CURSORS.get(id) ?? 'default';
  };
  show(toolbox.active);
  const off = toolbox.onChange(show);
  return { close: off };
}
