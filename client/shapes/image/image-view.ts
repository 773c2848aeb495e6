import Konva from 'konva';
import type { ImageShape } from '../../../shared/shapes/image.ts';
import type { NewShapeOf } from '../../model/shape.ts';
import { NODE_DEFAULTS } from '../../canvas/views/style.ts';
import { paintOf, placement, type ShapeView, type ViewContext } from '../../canvas/views/view.ts';
import { PLACEHOLDER_ICON_PATH, PLACEHOLDER_STYLE, placeholderIcon } from './image-placeholder.ts';

type Image = NewShapeOf<ImageShape>;

/** The picture a group was last drawn with, so an update rebuilds it only when that changes. */
const PICTURE = 'easelPicture';

/**
 * An image: its picture stretched to the box (Konva.Image), or, while the picture is not here,
 * the placeholder. One group either way; the renderer calls update again when the library says a
 * picture arrived, and the group swaps its placeholder for the picture then.
 */
export const imageView: ShapeView<Image, Konva.Group> = {
  create(shape, mode, ctx) {
    const group = new Konva.Group({ listening: false });
    this.update(group, shape, mode, ctx);
    return group;
  },
  update(group, shape, _mode, ctx: ViewContext) {
    group.setAttrs({ ...placement(shape), opacity: shape.opacity });
    const picture = ctx.image(shape.assetId);
    if (group.children.length === 0 || group.getAttr(PICTURE) !== picture) {
      group.destroyChildren();
      group.setAttr(PICTURE, picture);
      if (picture === null) {
        group.add(new Konva.Rect({ ...NODE_DEFAULTS, name: 'box', strokeWidth: PLACEHOLDER_STYLE.borderWidth }));
        group.add(new Konva.Path({ ...NODE_DEFAULTS, name: 'icon', data: PLACEHOLDER_ICON_PATH, strokeWidth: PLACEHOLDER_STYLE.iconStroke, lineCap: 'round', lineJoin: 'round' }));
      } else {
        group.add(new Konva.Image({ ...NODE_DEFAULTS, name: 'picture', image: picture as Konva.ImageConfig['image'] }));
      }
    }
    const inset = PLACEHOLDER_STYLE.borderWidth / 2;
    // The picture itself is never recoloured; only the placeholder follows the theme.
    const paint = paintOf(ctx);
    group.findOne('.box')?.setAttrs({ fill: paint(PLACEHOLDER_STYLE.fill), stroke: paint(PLACEHOLDER_STYLE.border), x: inset, y: inset, width: Math.max(0, shape.width - 2 * inset), height: Math.max(0, shape.height - 2 * inset) });
    const icon = placeholderIcon(shape.width, shape.height);
    group.findOne('.icon')?.setAttrs({ stroke: paint(PLACEHOLDER_STYLE.icon), x: icon.x, y: icon.y, scaleX: icon.scale, scaleY: icon.scale });
    group.findOne('.picture')?.setAttrs({ width: shape.width, height: shape.height });
  },
};
