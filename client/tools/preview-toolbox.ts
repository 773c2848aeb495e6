import type { Selection } from '../model/selection.ts';
import type { VersionPreview } from '../model/version-preview.ts';
import { VIEW_TOOLS } from './read-only-toolbox.ts';
import type { Toolbox, ToolId } from './toolbox.ts';

/**
 * The toolbox while a past version is previewed: only VIEW_TOOLS (the version is looked at, and
 * the live board underneath is not on screen to be edited). Entering a preview drops the tool in
 * use and the selection; leaving it gives the tool back. Owns `inner` (closing this closes it).
 */
export function createPreviewToolbox(inner: Toolbox, preview: Pick<VersionPreview, 'active' | 'onChange'>, selection: Pick<Selection, 'clear'>): Toolbox {
  let before: ToolId | null = null;
  let previewing = preview.active;
  const off = preview.onChange(() => {
    if (preview.active === previewing) return;
    previewing = preview.active;
    if (previewing) {
      before = inner.active;
      inner.cancel();
      if (!VIEW_TOOLS.has(inner.active)) inner.setTool('hand');
      selection.clear();
    } else if (before !== null) {
      inner.setTool(before);
      before = null;
    }
  });
  return {
    get active() {
      return inner.active;
    },
    tool: () => inner.tool(),
    setTool(id) {
      if (preview.active && !VIEW_TOOLS.has(id)) return;
      inner.setTool(id);
    },
    pointerDown: (event) => inner.pointerDown(event),
    pointerMove: (event) => inner.pointerMove(event),
    pointerUp: (event) => inner.pointerUp(event),
    cancel: () => inner.cancel(),
    keyDown: (event) => (preview.active ? false : inner.keyDown(event)),
    onChange: (listener) => inner.onChange(listener),
    close() {
      off();
      inner.close();
    },
  };
}
