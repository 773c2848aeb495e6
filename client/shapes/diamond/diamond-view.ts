import Konva from 'konva';
import type { DiamondShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, NODE_DEFAULTS, strokeAttrs } from '../../canvas/views/style.ts';
import { placement, type ShapeView } from '../../canvas/views/view.ts';
import { DIAMOND_INSET } from '../box-label.ts';
import { labelLayoutAttrs } from '../box-label-text.ts';
import { syncLabelNode } from '../box-label-view.ts';

type Diamond = NewShapeOf<DiamondShape>;

/** The corners as a flat [x, y, …] array, clockwise from the top: the view and the SVG export draw the same polygon. */
export function diamondCorners(shape: Pick<Diamond, 'width' | 'height'>): number[] {
  const w = shape.width;
  const h = shape.height;
  return [w / 2, 0, w, h / 2, w / 2, h, 0, h / 2];
}

// The group fades as a whole (its opacity), so the diamond is drawn opaque inside it.
const attrs = (shape: Diamond) => ({ ...strokeAttrs(shape), opacity: 1, fill: fillOf(shape), closed: true, points: diamondCorners(shape) });

/** A diamond and its label, as one group so they move, turn and fade as one. */
export const diamondView: ShapeView<Diamond, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    group.add(new Konva.Line({ ...NODE_DEFAULTS, name: 'body' }));
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    group.findOne('.body')?.setAttrs(attrs(shape));
    syncLabelNode(group, { ...labelLayoutAttrs(shape, DIAMOND_INSET), fill: shape.strokeColor });
  },
};
