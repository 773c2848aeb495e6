import Konva from 'konva';
import type { LinearShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { arrowheadSize } from '../constants.ts';
import { drawnHeads } from './arrowheads.ts';
import { linearPath } from './linear-path.ts';
import { linearLabelLayout } from './linear-label.ts';
import { NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { TextNode } from '../../canvas/views/text-node.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Linear = NewShapeOf<LinearShape>;

const arrowAttrs = (shape: Linear) => ({
  ...strokeAttrs(shape),
  // Arrowheads are filled with the line colour.
  fill: shape.strokeColor,
  // The drawn path: a curved or elbow arrow's points are not all of it (linear-path.ts).
  points: linearPath(shape),
  pointerAtBeginning: drawnHeads(shape).start,
  pointerAtEnding: drawnHeads(shape).end,
  pointerLength: arrowheadSize(shape.strokeWidth),
  pointerWidth: arrowheadSize(shape.strokeWidth),
});

/**
 * Lines and arrows: a Konva.Arrow (heads simply off for a plain line) and the label at the path's
 * middle, as one group so they move, turn and fade as one.
 */
export const lineView: ShapeView<Linear, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    group.add(new Konva.Arrow({ ...NODE_DEFAULTS, name: 'path', points: [] }));
    group.add(new TextNode({ ...NODE_DEFAULTS, name: 'label' }));
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    group.findOne('.path')?.setAttrs({ ...arrowAttrs(shape), opacity: 1 });
    const label = group.findOne('.label');
    label?.visible(shape.text !== '');
    if (shape.text !== '') label?.setAttrs({ ...linearLabelLayout(shape), fill: shape.strokeColor });
  },
};
