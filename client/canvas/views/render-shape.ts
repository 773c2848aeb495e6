import type Konva from 'konva';
import type { NewShape } from '../../model/shape.ts';
import { shapeUtil } from '../../shapes/registry.ts';
import { paintStyle } from '../theme-colors.ts';
import { paintOf, type RenderMode, type ShapeNode, type ViewContext } from './view.ts';

/** Which view drew a node, so a shape whose type changed gets a new node instead of a wrong one. */
const VIEW_TYPE = 'easelType';

/**
 * Draws `shape` with its type's view, reusing `existing` if it was drawn for the same type;
 * returns the node to keep. When it returns a new node, the caller destroys the old one and
 * places the new one. The shape's colours go through the context's paint here, once for every
 * type, so no view needs to know about themes.
 */
export function renderShape(stored: NewShape, existing: ShapeNode | undefined, mode: RenderMode, ctx: ViewContext): ShapeNode {
  const shape = paintStyle(stored, paintOf(ctx));
  const view = shapeUtil(shape).view;
  if (existing !== undefined && (existing as Konva.Node).getAttr(VIEW_TYPE) === shape.type) {
    view.update(existing, shape, mode, ctx);
    return existing;
  }
  const node = view.create(shape, mode, ctx);
  // Shape | Group is a union of generic signatures TypeScript cannot call; both are Nodes.
  (node as Konva.Node).setAttr(VIEW_TYPE, shape.type);
  return node;
}
