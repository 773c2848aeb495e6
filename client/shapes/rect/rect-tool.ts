import { createBoxTool } from '../../tools/box-tool.ts';
import type { ShapeTool } from '../shape-util.ts';

/** The rectangle tool (R): drag out a box (Shift for a square one). */
export const rectTool: ShapeTool<'rectangle'> = {
  id: 'rectangle',
  label: 'Rectangle',
  key: 'r',
  icon: '<rect x="3.5" y="6" width="17" height="12" rx="1.5"/>',
  cursor: 'crosshair',
  create: (ctx) => createBoxTool(ctx, 'rectangle', 'rect'),
};
