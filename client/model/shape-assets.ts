import type { Shape } from '../../shared/schema.ts';
import { assetIdsOf as shapeAssetIds } from '../shapes/registry.ts';

/**
 * The distinct files (asset ids, shared/assets.ts) some shapes show, in the order first shown:
 * what an export embeds, a board file carries and a copy brings along. Each type's util says
 * which files its shapes show (ShapeUtil.assetIds), so none of the callers names a type.
 */
export function assetIdsOf(shapes: Iterable<Shape>): string[] {
  const ids = new Set<string>();
  for (const shape of shapes) for (const id of shapeAssetIds(shape)) ids.add(id);
  return [...ids];
}
