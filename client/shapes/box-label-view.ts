import Konva from 'konva';
import { NODE_DEFAULTS } from '../canvas/views/style.ts';
import { TextNode } from '../canvas/views/text-node.ts';
import { placement, type ShapeView } from '../canvas/views/view.ts';
import type { NewShape } from '../model/shape.ts';
import type { LabelInset } from './box-label.ts';
import { labelLayoutAttrs, type LabeledBox } from './box-label-text.ts';

/** The name of a box view's label node, so an update finds it. */
const LABEL = 'label';
/** The name of a box view's body node. */
const BODY = 'body';

/**
 * Brings a box view's label node in step with `attrs` (its layout and colour): the node is made
 * with the first character and destroyed when the label is emptied, so the thousands of plain
 * boxes of a large board draw no text node at all.
 */
export function syncLabelNode(group: Konva.Group, attrs: Konva.TextConfig & { text: string }): void {
  const existing = group.findOne<TextNode>(`.${LABEL}`);
  if (attrs.text === '') {
    existing?.destroy();
    return;
  }
  if (existing !== undefined) {
    existing.setAttrs(attrs);
    return;
  }
  group.add(new TextNode({ ...NODE_DEFAULTS, ...attrs, name: LABEL }));
}

/**
 * The view of a box type with a label (rectangle, ellipse, diamond): a group of the body, made by
 * `body`, and the label laid out in the type's text area, so they move, turn and fade as one. The
 * group fades as a whole (its opacity), so the body is drawn opaque inside it.
 */
export function labelledBoxView<S extends LabeledBox & NewShape>(body: () => Konva.Shape, bodyAttrs: (shape: S) => Konva.ShapeConfig, inset: LabelInset): ShapeView<S, Konva.Group> {
  return {
    create(shape, mode, ctx) {
      const group = new Konva.Group({ listening: false });
      const node = body();
      node.setAttrs({ ...NODE_DEFAULTS, name: BODY });
      group.add(node);
      this.update(group, shape, mode, ctx);
      return group;
    },
    update(group, shape) {
      group.setAttrs({ ...placement(shape), opacity: shape.opacity });
      group.findOne(`.${BODY}`)?.setAttrs({ ...bodyAttrs(shape), opacity: 1 });
      syncLabelNode(group, { ...labelLayoutAttrs(shape, inset), fill: shape.strokeColor });
    },
  };
}
