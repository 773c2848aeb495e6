import Konva from 'konva';
import type { LinearShape } from '../../../shared/schema.ts';
import type { DistributiveOmit } from '../../model/board.ts';
import { arrowheadSize } from '../../shapes/constants.ts';
import { NODE_DEFAULTS, strokeAttrs } from './style.ts';
import { placement, type ShapeView } from './view.ts';

type Linear = DistributiveOmit<LinearShape, 'index'>;

const attrs = (shape: Linear) => ({
  ...placement(shape),
  ...strokeAttrs(shape),
  // Arrowheads are filled with the line colour.
  fill: shape.strokeColor,
  points: shape.points,
  pointerAtBeginning: shape.startArrowhead,
  pointerAtEnding: shape.endArrowhead,
  pointerLength: arrowheadSize(shape.strokeWidth),
  pointerWidth: arrowheadSize(shape.strokeWidth),
});

/** Lines and arrows: one Konva.Arrow, whose heads are simply off for a plain line. */
export const linearView: ShapeView<Linear, Konva.Arrow> = {
  create: (shape) => new Konva.Arrow({ ...NODE_DEFAULTS, ...attrs(shape) }),
  update: (node, shape) => void node.setAttrs(attrs(shape)),
};
