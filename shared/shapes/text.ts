import { SHAPE_LIMITS, type ShapeBase, type ShapeDef } from './base.ts';
import { isFiniteNumber, readText } from './fields.ts';

/**
 * Text placed on the board; `width` 0 means "as wide as the text". In the document `text` is a
 * Y.Text (shared/doc.ts); records, files and the clipboard carry it as a plain string.
 */
export interface TextShape extends ShapeBase {
  type: 'text';
  text: string;
  width: number;
}

export const textDef: ShapeDef<TextShape> = {
  type: 'text',
  // A blank text shows nothing: editors delete it.
  text: { keepBlank: false },
  read(record) {
    const text = readText(record.text);
    if (text === null) return 'text is missing or too long';
    const width = isFiniteNumber(record.width) ? Math.min(SHAPE_LIMITS.maxSize, Math.max(0, record.width)) : 0;
    return { text, width };
  },
  example: { text: 'Hello, board\nsecond line', width: 0 },
};
