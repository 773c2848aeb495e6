import type { ToolId } from '../tools/tool.ts';

/** How each tool appears in the toolbar and which key picks it. */
export interface ToolEntry {
  id: ToolId;
  label: string;
  /** The shortcut, as `KeyboardEvent.key` lower-cased. */
  key: string;
  /** Inner SVG markup on a 24×24 grid, stroked with currentColor. */
  icon: string;
}

export const TOOL_CATALOG: readonly ToolEntry[] = [
  { id: 'select', label: 'Select', key: 'v', icon: '<path d="M6 3.5l12.5 7.4-5.6 1.7-2.7 5.6z"/><path d="M12.9 12.6l4.6 5.4"/>' },
  { id: 'pen', label: 'Pen', key: 'p', icon: '<path d="M15.6 4.4a2 2 0 0 1 2.8 0l1.2 1.2a2 2 0 0 1 0 2.8L8.5 19.5 4 20l.5-4.5z"/><path d="M13.5 6.5l4 4"/>' },
  { id: 'rectangle', label: 'Rectangle', key: 'r', icon: '<rect x="3.5" y="6" width="17" height="12" rx="1.5"/>' },
  { id: 'ellipse', label: 'Ellipse', key: 'o', icon: '<ellipse cx="12" cy="12" rx="8.5" ry="6.5"/>' },
];

export const DELETE_ICON = '<path d="M4.5 7h15"/><path d="M9.5 7V4.8h5V7"/><path d="M6.5 7l.9 12.2h9.2L17.5 7"/><path d="M10.2 10.5v5.5M13.8 10.5v5.5"/>';

/** An inline SVG icon element from catalog markup. */
export function iconSvg(markup: string): string {
  return `<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${markup}</svg>`;
}
