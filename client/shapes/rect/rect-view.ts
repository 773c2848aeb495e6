import Konva from 'konva';
import type { RectShape } from '../../../shared/schema.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { fillOf, strokeAttrs } from '../../canvas/views/style.ts';
import { RECT_INSET } from '../box-label.ts';
import { labelledBoxView } from '../box-label-view.ts';

type Rect = NewShapeOf<RectShape>;

const attrs = (shape: Rect) => ({ ...strokeAttrs(shape), fill: fillOf(shape), width: shape.width, height: shape.height });

/** A rect and its label. */
export const rectView = labelledBoxView(() => new Konva.Rect(), attrs, RECT_INSET);
