import Konva from 'konva';
import type { LinearShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { arrowheadSize } from '../constants.ts';
import { drawnHeads } from './arrowheads.ts';
import { linearPath } from './linear-path.ts';
import { NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';

type Linear = NewShapeOf<LinearShape>;

const attrs = (shape: Linear) => ({
  ...placement(shape),
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

/** Lines and arrows: one Konva.Arrow, whose heads are simply off for a plain line. */
export const lineView: ShapeView<Linear, Konva.Arrow> = {
  create: (shape) => new Konva.Arrow({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
