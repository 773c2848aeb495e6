import type { AccessMode } from '../sync/access-mode.ts';
import type { Command } from './keymap.ts';
import type { Notice } from './notice.ts';

/**
 * Commands a view-only page keeps: looking (zoom), taking a copy (export) and help. An allowlist,
 * so a command added later is off for viewers until someone decides it only reads.
 */
export const VIEW_COMMANDS: ReadonlySet<string> = new Set(['zoom-in', 'zoom-out', 'zoom-reset', 'zoom-fit', 'export-png', 'export-svg', 'export-json', 'help']);

/**
 * The same commands, each refusing to run while the page is read-only unless VIEW_COMMANDS has
 * it. A refused key still counts as handled, so Ctrl+D does not fall through to the browser.
 */
export function guardCommands(commands: readonly Command[], access: Pick<AccessMode, 'readOnly'>, notice: Pick<Notice, 'show'>): Command[] {
  return commands.map((command) =>
    VIEW_COMMANDS.has(command.id)
      ? command
      : {
          ...command,
          run() {
            if (!access.readOnly) return command.run();
            notice.show(`${command.label}: this board is view only`, 'info');
            return true;
          },
        },
  );
}
