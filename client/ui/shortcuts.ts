import type { Toolbox } from '../tools/toolbox.ts';
import { isEditable } from './editable.ts';
import { matchesCombo, type Command } from './keymap.ts';
import { TOOL_CATALOG } from './tool-catalog.ts';

export interface Shortcuts {
  close(): void;
}

/**
 * Keyboard: commands (undo, copy, zoom…) first, then tool keys, then whatever the active tool
 * takes (Delete, Escape). Keys typed into a field are left alone, and so are Ctrl/Cmd keys no
 * command claims, so browser shortcuts keep working.
 */
export function createShortcuts(target: Window, toolbox: Toolbox, commands: readonly Command[] = []): Shortcuts {
  const toolByKey = new Map(TOOL_CATALOG.map((tool) => [tool.key, tool.id]));
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || isEditable(event.target)) return;
    // Keys in an open dialog are the dialog's (Escape closes it, Tab moves within it).
    // Only an open one: focus can stay on a closed dialog's button for a moment after Escape.
    if (event.target instanceof Element && event.target.closest('dialog[open]') !== null) return;
    for (const command of commands) {
      if (!command.keys.some((combo) => matchesCombo(event, combo))) continue;
      if (command.run() !== false) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
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
