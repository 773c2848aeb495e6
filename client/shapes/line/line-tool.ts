import { createLinearTool } from '../../tools/linear-tool.ts';
import type { ShapeTool } from '../shape-util.ts';

/** The line tool (L): drag from one end to the other (Shift snaps the angle). */
export const lineTool: ShapeTool<'line'> = {
  id: 'line',
  label: 'Line',
  key: 'l',
  icon: '<path d="M5 19L19 5"/>',
  cursor: 'crosshair',
  create: (ctx) => createLinearTool(ctx, 'line', { type: 'line', bindsEnds: false, endArrowhead: 'none' }),
};
