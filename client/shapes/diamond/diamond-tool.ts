import { createBoxTool } from '../../tools/box-tool.ts';
import type { ShapeTool } from '../shape-util.ts';

/** The diamond tool (D): drag out a box (Shift for a square one). */
export const diamondTool: ShapeTool<'diamond'> = {
  id: 'diamond',
  label: 'Diamond',
  key: 'd',
  icon: '<path d="M12 3.5l8.5 8.5-8.5 8.5L3.5 12z"/>',
  cursor: 'crosshair',
  create: (ctx) => createBoxTool(ctx, 'diamond', 'diamond'),
};
