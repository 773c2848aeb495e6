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
  { id: 'hand', label: 'Hand (pan)', key: 'h', icon: '<path d="M8 12V6.5a1.5 1.5 0 0 1 3 0V11"/><path d="M11 10.5V5a1.5 1.5 0 0 1 3 0v5.5"/><path d="M14 10.5V6.5a1.5 1.5 0 0 1 3 0V14a6 6 0 0 1-6 6h-.5a6 6 0 0 1-4.6-2.2L4 15.2a1.5 1.5 0 0 1 2.3-1.9L8 15"/>' },
  { id: 'pen', label: 'Pen', key: 'p', icon: '<path d="M15.6 4.4a2 2 0 0 1 2.8 0l1.2 1.2a2 2 0 0 1 0 2.8L8.5 19.5 4 20l.5-4.5z"/><path d="M13.5 6.5l4 4"/>' },
  { id: 'rectangle', label: 'Rectangle', key: 'r', icon: '<rect x="3.5" y="6" width="17" height="12" rx="1.5"/>' },
  { id: 'ellipse', label: 'Ellipse', key: 'o', icon: '<ellipse cx="12" cy="12" rx="8.5" ry="6.5"/>' },
  { id: 'diamond', label: 'Diamond', key: 'd', icon: '<path d="M12 3.5l8.5 8.5-8.5 8.5L3.5 12z"/>' },
  { id: 'line', label: 'Line', key: 'l', icon: '<path d="M5 19L19 5"/>' },
  { id: 'arrow', label: 'Arrow', key: 'a', icon: '<path d="M5 19L19 5"/><path d="M10 5h9v9"/>' },
  { id: 'text', label: 'Text', key: 't', icon: '<path d="M5 6.5V5h14v1.5"/><path d="M12 5v14"/><path d="M9.5 19h5"/>' },
  { id: 'sticky', label: 'Sticky note', key: 'n', icon: '<path d="M4.5 4.5h15v10l-5 5h-10z"/><path d="M14.5 19.5v-5h5"/>' },
  { id: 'eraser', label: 'Eraser', key: 'e', icon: '<path d="M8.5 19.5h11"/><path d="M3.9 14.6l9.7-9.7a2 2 0 0 1 2.8 0l2.7 2.7a2 2 0 0 1 0 2.8l-8.3 8.3a2.8 2.8 0 0 1-4 0l-2.9-2.9a.9.9 0 0 1 0-1.2z"/><path d="M9 9.5l5.5 5.5"/>' },
  { id: 'laser', label: 'Laser pointer', key: 'k', icon: '<circle cx="17" cy="7" r="2.5"/><path d="M15 9l-9.5 9.5"/><path d="M20.5 3.5l-1 1M21 9h-1.5M15 3V1.5"/>' },
];

export const DELETE_ICON = '<path d="M4.5 7h15"/><path d="M9.5 7V4.8h5V7"/><path d="M6.5 7l.9 12.2h9.2L17.5 7"/><path d="M10.2 10.5v5.5M13.8 10.5v5.5"/>';

/** An inline SVG icon element from catalog markup. */
export function iconSvg(markup: string): string {
  return `<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${markup}</svg>`;
}
