import type { Toolbox } from '../tools/toolbox.ts';
import { TOOL_CATALOG } from './tool-catalog.ts';

export interface Shortcuts {
  close(): void;
}

/**
 * Keyboard: tool keys pick tools; other keys go to the active tool (Delete, Escape). Keys typed
 * into a field, or held with Ctrl/Cmd/Alt (browser and future app shortcuts), are left alone.
 */
export function createShortcuts(target: Window, toolbox: Toolbox): Shortcuts {
  const toolByKey = new Map(TOOL_CATALOG.map((tool) => [tool.key, tool.id]));
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return;
    const tool = toolByKey.get(event.key.toLowerCase());
    if (tool !== undefined) {
      if (!event.repeat) toolbox.setTool(tool);
      event.preventDefault();
      return;
    }
    // Backspace must not fall through to the browser's "go back" on some platforms.
    if (toolbox.keyDown({ key: event.key, shiftKey: event.shiftKey })) event.preventDefault();
  };
  target.addEventListener('keydown', onKeyDown);
  return {
    close() {
      target.removeEventListener('keydown', onKeyDown);
    },
  };
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}
