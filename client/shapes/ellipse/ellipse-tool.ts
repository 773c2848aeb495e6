import { createBoxTool } from '../../tools/box-tool.ts';
import type { ShapeTool } from '../shape-util.ts';

/** The ellipse tool (O): drag out a box (Shift for a square one). */
export const ellipseTool: ShapeTool<'ellipse'> = {
  id: 'ellipse',
  label: 'Ellipse',
  key: 'o',
  icon: '<ellipse cx="12" cy="12" rx="8.5" ry="6.5"/>',
  cursor: 'crosshair',
  create: (ctx) => createBoxTool(ctx, 'ellipse', 'ellipse'),
};
