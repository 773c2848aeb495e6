import type { Shape } from '../../shared/schema.ts';
import { imageDef, type ImageShape } from '../../shared/shapes/image.ts';

/**
 * The distinct files (asset ids, shared/assets.ts) some shapes show, in the order first shown:
 * what an export embeds, a board file carries and a copy brings along. The one place the
 * exporters and the clipboard learn which shapes show files, so none of them names a type.
 */
export function assetIdsOf(shapes: Iterable<Shape>): string[] {
  const ids = new Set<string>();
  for (const shape of shapes) for (const id of shapeAssetIds(shape)) ids.add(id);
  return [...ids];
}

/** The files one shape shows. */
function shapeAssetIds(shape: Shape): readonly string[] {
  // The image type is not in the schema's union yet (it is registered with its util); until then
  // its records are recognised by the definition's type name and read through its interface.
  if ((shape.type as string) !== imageDef.type) return [];
  return [(shape as unknown as ImageShape).assetId];
}
