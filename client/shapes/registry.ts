import type { Shape } from '../../shared/schema.ts';
import { arrowUtil } from './arrow/arrow-util.ts';
import { diamondUtil } from './diamond/diamond-util.ts';
import { ellipseUtil } from './ellipse/ellipse-util.ts';
import { frameUtil } from './frame/frame-util.ts';
import { imageUtil } from './image/image-util.ts';
import { inkUtil } from './ink/ink-util.ts';
import { lineUtil } from './line/line-util.ts';
import { rectUtil } from './rect/rect-util.ts';
import type { ShapeUtil } from './shape-util.ts';
import { stickyUtil } from './sticky/sticky-util.ts';
import { textUtil } from './text/text-util.ts';

/**
 * Every shape type the client draws, one util each (client/shapes/<type>/), in toolbar order.
 * A type is added with its folder here and its definition in shared/shapes/.
 */
export const SHAPE_UTILS = [inkUtil, rectUtil, ellipseUtil, diamondUtil, lineUtil, arrowUtil, textUtil, stickyUtil, frameUtil, imageUtil] as const;

/** The ids of the tools the shape types bring ('pen', 'rectangle', …). */
export type ShapeToolId = (typeof SHAPE_UTILS)[number]['tool']['id'];

/** A shape type the schema knows and the client has no util for: the two registries disagree. */
export class UnknownShapeTypeError extends Error {
  readonly code = 'unknown-shape-type';
  constructor(readonly type: string) {
    super(`no shape util for type ${JSON.stringify(type)}: add one to client/shapes/registry.ts`);
    this.name = 'UnknownShapeTypeError';
  }
}

const UTILS: ReadonlyMap<string, ShapeUtil> = new Map(SHAPE_UTILS.map((util) => [util.type, util as ShapeUtil]));

/** The util of a shape's type. Throws UnknownShapeTypeError if there is none. */
export function shapeUtil(shape: Pick<Shape, 'type'>): ShapeUtil {
  const util = UTILS.get(shape.type);
  if (util === undefined) throw new UnknownShapeTypeError(shape.type);
  return util;
}

