import type Konva from 'konva';
import { NODE_DEFAULTS } from '../canvas/views/style.ts';
import { TextNode } from '../canvas/views/text-node.ts';

/** The name of a box view's label node, so an update finds it. */
const LABEL = 'label';

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
