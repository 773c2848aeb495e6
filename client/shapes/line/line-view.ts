import Konva from 'konva';
import type { LinearShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { arrowheads, barOf, dotOf, type Arrowhead } from './arrowheads.ts';
import { linearPath } from './linear-path.ts';
import { drawnLabelBox, linearLabelLayout, pathPieces } from './linear-label.ts';
import { NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { TextNode } from '../../canvas/views/text-node.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Linear = NewShapeOf<LinearShape>;

/**
 * The drawn path (a curved or elbow arrow's points are not all of it: linear-path.ts) as one
 * Konva.Line per piece: a label leaves a gap in it.
 */
function updatePath(pieces: Konva.Group, shape: Linear): void {
  const parts = pathPieces(linearPath(shape), drawnLabelBox(shape));
  const extra = pieces.getChildren().slice(parts.length);
  for (const line of extra) line.destroy();
  for (let i = pieces.getChildren().length; i < parts.length; i++) pieces.add(new Konva.Line({ ...NODE_DEFAULTS }));
  (pieces.getChildren() as Konva.Line[]).forEach((line, i) => line.setAttrs({ ...strokeAttrs(shape), opacity: 1, points: parts[i] }));
}

/** Draws the heads as arrowheads.ts places them: filled triangles and dots, stroked chevrons and bars. */
function drawHeads(context: Konva.Context, node: Konva.Shape): void {
  const heads = (node.getAttr('heads') ?? []) as Arrowhead[];
  for (const head of heads) {
    context.beginPath();
    switch (head.kind) {
      case 'triangle':
        context.moveTo(head.tip.x, head.tip.y);
        context.lineTo(head.left.x, head.left.y);
        context.lineTo(head.right.x, head.right.y);
        context.closePath();
        context.fillStrokeShape(node);
        break;
      case 'dot': {
        const { center, radius } = dotOf(head);
        context.arc(center.x, center.y, radius, 0, Math.PI * 2, false);
        context.fillStrokeShape(node);
        break;
      }
      case 'arrow':
        context.moveTo(head.left.x, head.left.y);
        context.lineTo(head.tip.x, head.tip.y);
        context.lineTo(head.right.x, head.right.y);
        context.strokeShape(node);
        break;
      case 'bar': {
        const [u, v] = barOf(head);
        context.moveTo(u.x, u.y);
        context.lineTo(v.x, v.y);
        context.strokeShape(node);
        break;
      }
    }
  }
}

const headAttrs = (shape: Linear) => ({
  heads: arrowheads(shape),
  fill: shape.strokeColor,
  stroke: shape.strokeColor,
  strokeWidth: shape.strokeWidth,
  lineCap: 'round' as const,
  lineJoin: 'round' as const,
});

/**
 * Lines and arrows: the path, the heads (arrowheads.ts) and the label at the path's middle, as
 * one group so they move, turn and fade as one.
 */
export const lineView: ShapeView<Linear, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    group.add(new Konva.Group({ name: 'path', listening: false }));
    group.add(new Konva.Shape({ ...NODE_DEFAULTS, name: 'heads', sceneFunc: drawHeads }));
    group.add(new TextNode({ ...NODE_DEFAULTS, name: 'label' }));
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    const path = group.findOne<Konva.Group>('.path');
    if (path !== undefined) updatePath(path, shape);
    group.findOne('.heads')?.setAttrs(headAttrs(shape));
    const label = group.findOne('.label');
    label?.visible(shape.text !== '');
    if (shape.text !== '') label?.setAttrs({ ...linearLabelLayout(shape), fill: shape.strokeColor });
  },
};
