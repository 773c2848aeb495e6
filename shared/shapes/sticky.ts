import type { ShapeBase, ShapeDef } from './base.ts';
import { readSize, readText } from './fields.ts';
import { readTextPlacement, type TextPlacement } from './label.ts';

/** A coloured note with text inside a box; `text` is stored as for TextShape. */
export interface StickyShape extends ShapeBase, TextPlacement {
  type: 'sticky';
  text: string;
  width: number;
  height: number;
}

export const stickyDef: ShapeDef<StickyShape> = {
  type: 'sticky',
  // A blank note still shows its card.
  text: { keepBlank: true },
  read(record) {
    const text = readText(record.text);
    if (text === null) return 'text is missing or too long';
    const width = readSize(record, 'width');
    if (typeof width === 'string') return width;
    const height = readSize(record, 'height');
    if (typeof height === 'string') return height;
    // A note's text sat at its top left before alignment existed (schema version 3): it still does.
    return { text, width, height, ...readTextPlacement(record, { textAlign: 'left', verticalAlign: 'top' }) };
  },
  example: { text: 'A note with words that wrap onto more lines', width: 200, height: 200, textAlign: 'left', verticalAlign: 'top' },
};
