import Konva from 'konva';
import type { InkShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { inkOutline } from './ink-outline.ts';
import { NODE_DEFAULTS } from '../../canvas/views/style.ts';
import { placement, type RenderMode, type ShapeView } from '../../canvas/views/view.ts';

type Ink = NewShapeOf<InkShape>;

/**
 * Ink is a filled outline (perfect-freehand turns points and pressure into a polygon), drawn
 * straight onto the canvas: no SVG path to parse. The outline is computed once per change, not
 * per frame, and kept on the node.
 */
const OUTLINE = 'easelOutline';

const attrs = (shape: Ink, mode: RenderMode) => ({
  ...placement(shape),
  fill: shape.strokeColor,
  opacity: shape.opacity,
  [OUTLINE]: inkOutline(shape.points, shape.strokeWidth, mode === 'committed'),
});

function drawOutline(context: Konva.Context, node: Konva.Shape): void {
  const outline = node.getAttr(OUTLINE) as number[][] | undefined;
  if (!outline || outline.length < 2) return;
  const [x0, y0] = outline[0]!;
  context.beginPath();
  context.moveTo(x0!, y0!);
  // Curves through the midpoints of the outline give a smooth edge from a coarse polygon.
  for (let i = 0; i < outline.length; i++) {
    const [x1, y1] = outline[i]!;
    const [x2, y2] = outline[(i + 1) % outline.length]!;
    context.quadraticCurveTo(x1!, y1!, (x1! + x2!) / 2, (y1! + y2!) / 2);
  }
  context.closePath();
  context.fillStrokeShape(node);
}

export const inkView: ShapeView<Ink, Konva.Shape> = {
  create: (shape, mode) => new Konva.Shape({ ...NODE_DEFAULTS, ...attrs(shape, mode), sceneFunc: drawOutline }),
  update: (node, shape, mode) => void node.setAttrs(attrs(shape, mode)),
};
