import { createLinearTool } from '../../tools/linear-tool.ts';
import type { ShapeTool } from '../shape-util.ts';

/** The arrow tool (A): like the line tool, with a head at the end, and ends dropped on a shape attached to it. */
export const arrowTool: ShapeTool<'arrow'> = {
  id: 'arrow',
  label: 'Arrow',
  key: 'a',
  icon: '<path d="M5 19L19 5"/><path d="M10 5h9v9"/>',
  cursor: 'crosshair',
  create: (ctx) => createLinearTool(ctx, 'arrow', { type: 'arrow', bindsEnds: true, endArrowhead: 'arrow' }),
};
