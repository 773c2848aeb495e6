import type { VersionPreview } from '../model/version-preview.ts';
import type { Command } from './keymap.ts';
import type { Notice } from './notice.ts';
import { VIEW_COMMANDS } from './read-only-commands.ts';

/**
 * The same commands, each refusing to run while a past version is previewed unless it only looks
 * (VIEW_COMMANDS): undo, paste or delete would change the live board out of sight. A refused key
 * still counts as handled, so it does not fall through to the browser.
 */
export function guardPreviewCommands(commands: readonly Command[], preview: Pick<VersionPreview, 'active'>, notice: Pick<Notice, 'show'>): Command[] {
  return commands.map((command) =>
    VIEW_COMMANDS.has(command.id)
      ? command
      : {
          ...command,
          run() {
            if (!preview.active) return command.run();
            notice.show(`${command.label}: go back to the board first (Esc)`, 'info');
            return true;
          },
        },
  );
}
