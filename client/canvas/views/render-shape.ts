import type Konva from 'konva';
import type { NewShape } from '../../model/board.ts';
import { diamondView } from './diamond-view.ts';
import { ellipseView } from './ellipse-view.ts';
import { inkView } from './ink-view.ts';
import { linearView } from './linear-view.ts';
import { rectView } from './rect-view.ts';
import { stickyView } from './sticky-view.ts';
import { textView } from './text-view.ts';
import type { RenderMode, ShapeNode, ShapeView } from './view.ts';

/** Which view drew a node, so a shape whose type changed gets a new node instead of a wrong one. */
const VIEW_TYPE = 'easelType';

/**
 * Draws `shape`, reusing `existing` if it was drawn by the same view; returns the node to keep.
 * When it returns a new node, the caller destroys the old one and places the new one.
 */
export function renderShape(shape: NewShape, existing: ShapeNode | undefined, mode: RenderMode): ShapeNode {
  const reuse = existing !== undefined && (existing as Konva.Node).getAttr(VIEW_TYPE) === shape.type ? existing : undefined;
  let node: ShapeNode;
  switch (shape.type) {
    case 'rect':
      node = draw(rectView, shape, reuse, mode);
      break;
    case 'ellipse':
      node = draw(ellipseView, shape, reuse, mode);
      break;
    case 'diamond':
      node = draw(diamondView, shape, reuse, mode);
      break;
    case 'ink':
      node = draw(inkView, shape, reuse, mode);
      break;
    case 'line':
    case 'arrow':
      node = draw(linearView, shape, reuse, mode);
      break;
    case 'text':
      node = draw(textView, shape, reuse, mode);
      break;
    case 'sticky':
      node = draw(stickyView, shape, reuse, mode);
      break;
  }
  // Shape | Group is a union of generic signatures TypeScript cannot call; both are Nodes.
  (node as Konva.Node).setAttr(VIEW_TYPE, shape.type);
  return node;
}

function draw<S extends NewShape, N extends ShapeNode>(view: ShapeView<S, N>, shape: S, reuse: ShapeNode | undefined, mode: RenderMode): N {
  if (reuse === undefined) return view.create(shape, mode);
  view.update(reuse as N, shape, mode);
  return reuse as N;
}
