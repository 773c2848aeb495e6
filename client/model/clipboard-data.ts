import { readShape, shapeFields, type Shape } from '../../shared/schema.ts';

/** Marks clipboard text as Easel shapes (anything else pasted is plain text). */
export const CLIPBOARD_TYPE = 'easel/clipboard';
export const CLIPBOARD_VERSION = 1;

/** Shapes as clipboard text: JSON any app can hold, and Easel can read back. */
export function serializeShapes(shapes: readonly Shape[]): string {
  return JSON.stringify({ type: CLIPBOARD_TYPE, version: CLIPBOARD_VERSION, shapes: shapes.map((shape) => ({ id: shape.id, ...shapeFields(shape) })) });
}

/**
 * The shapes in clipboard text, each through the schema gate (broken ones are skipped), or null
 * if the text is not Easel shapes at all and should be pasted as text.
 */
export function parseShapes(text: string): Shape[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== CLIPBOARD_TYPE) return null;
  const list = (data as { shapes?: unknown }).shapes;
  if (!Array.isArray(list)) return [];
  const shapes: Shape[] = [];
  for (const entry of list) {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    const result = readShape(id, entry);
    if (result.ok) shapes.push(result.shape);
  }
  return shapes;
}
