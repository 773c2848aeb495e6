import { SHAPE_UTILS } from '../shapes/registry.ts';
import type { ToolEntry } from '../tools/tool.ts';
import type { ToolId } from '../tools/toolbox.ts';

/** How one tool of the toolbox appears. */
export type CatalogEntry = ToolEntry & { id: ToolId };

/** The tools that make no shape: selecting and looking around come first, erasing and pointing last. */
const SELECT: CatalogEntry = { id: 'select', label: 'Select', key: 'v', cursor: 'default', icon: '<path d="M6 3.5l12.5 7.4-5.6 1.7-2.7 5.6z"/><path d="M12.9 12.6l4.6 5.4"/>' };
const HAND: CatalogEntry = { id: 'hand', label: 'Hand (pan)', key: 'h', cursor: 'grab', icon: '<path d="M8 12V6.5a1.5 1.5 0 0 1 3 0V11"/><path d="M11 10.5V5a1.5 1.5 0 0 1 3 0v5.5"/><path d="M14 10.5V6.5a1.5 1.5 0 0 1 3 0V14a6 6 0 0 1-6 6h-.5a6 6 0 0 1-4.6-2.2L4 15.2a1.5 1.5 0 0 1 2.3-1.9L8 15"/>' };
const ERASER: CatalogEntry = { id: 'eraser', label: 'Eraser', key: 'e', cursor: 'cell', icon: '<path d="M8.5 19.5h11"/><path d="M3.9 14.6l9.7-9.7a2 2 0 0 1 2.8 0l2.7 2.7a2 2 0 0 1 0 2.8l-8.3 8.3a2.8 2.8 0 0 1-4 0l-2.9-2.9a.9.9 0 0 1 0-1.2z"/><path d="M9 9.5l5.5 5.5"/>' };
const LASER: CatalogEntry = { id: 'laser', label: 'Laser pointer', key: 'k', cursor: 'crosshair', icon: '<circle cx="17" cy="7" r="2.5"/><path d="M15 9l-9.5 9.5"/><path d="M20.5 3.5l-1 1M21 9h-1.5M15 3V1.5"/>' };

/**
 * Every tool in toolbar order, with its label, key, icon and cursor: the toolbar, the shortcuts,
 * the help dialog and the board's cursor all read this. The shape types bring their own tools
 * (client/shapes/registry.ts), in the registry's order.
 */
export const TOOL_CATALOG: readonly CatalogEntry[] = [SELECT, HAND, ...SHAPE_UTILS.map((util) => util.tool), ERASER, LASER];

export const DELETE_ICON = '<path d="M4.5 7h15"/><path d="M9.5 7V4.8h5V7"/><path d="M6.5 7l.9 12.2h9.2L17.5 7"/><path d="M10.2 10.5v5.5M13.8 10.5v5.5"/>';

/** An inline SVG icon element from catalog markup. */
export function iconSvg(markup: string): string {
  return `<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${markup}</svg>`;
}
