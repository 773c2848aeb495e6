import type { Selection } from '../model/selection.ts';
import type { AccessMode } from '../sync/access-mode.ts';
import type { Toolbox, ToolId } from './toolbox.ts';

/** The tools a view-only page keeps: they look around and point, and never write to the board. */
export const VIEW_TOOLS: ReadonlySet<ToolId> = new Set<ToolId>(['hand', 'laser']);

/**
 * The toolbox as a view-only page sees it: while the access mode is read-only only VIEW_TOOLS can
 * be picked, and turning read-only drops whatever tool and selection were in use. Owns `inner`
 * (closing this closes it). The select tool is left out too: it would move and edit shapes.
 */
export function createReadOnlyToolbox(inner: Toolbox, access: Pick<AccessMode, 'readOnly' | 'onChange'>, selection: Pick<Selection, 'clear'>): Toolbox {
  const enterReadOnly = (): void => {
    if (!VIEW_TOOLS.has(inner.active)) inner.setTool('hand');
    selection.clear();
  };
  if (access.readOnly) enterReadOnly();
  const off = access.onChange((readOnly) => {
    if (readOnly) enterReadOnly();
  });
  return {
    get active() {
      return inner.active;
    },
    tool: () => inner.tool(),
    setTool(id) {
      if (access.readOnly && !VIEW_TOOLS.has(id)) return;
      inner.setTool(id);
    },
    pointerDown: (event) => inner.pointerDown(event),
    pointerMove: (event) => inner.pointerMove(event),
    pointerUp: (event) => inner.pointerUp(event),
    cancel: () => inner.cancel(),
    keyDown: (event) => inner.keyDown(event),
    onChange: (listener) => inner.onChange(listener),
    close() {
      off();
      inner.close();
    },
  };
}
