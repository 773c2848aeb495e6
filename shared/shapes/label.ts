import { readText } from './fields.ts';

/**
 * A label: text typed inside a rectangle, ellipse, diamond or note, or on a line or an arrow
 * (schema version 3). In the document `text` is a Y.Text as a note's is (shared/doc.ts), and a
 * label that is empty is not stored at all, so a board of plain boxes costs nothing more.
 */

export const TEXT_ALIGNS = ['left', 'center', 'right'] as const;
export type TextAlign = (typeof TEXT_ALIGNS)[number];

export const VERTICAL_ALIGNS = ['top', 'middle', 'bottom'] as const;
export type VerticalAlign = (typeof VERTICAL_ALIGNS)[number];

/** Where a box's text sits: horizontal and vertical alignment inside the box's padding. */
export interface TextPlacement {
  textAlign: TextAlign;
  verticalAlign: VerticalAlign;
}

/** The label of a line or an arrow: drawn at the middle of its path, which leaves a gap for it. */
export interface LabelText {
  text: string;
}

/** A box's label: its text and where the text sits in the box. */
export interface LabelFields extends LabelText, TextPlacement {}

const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** A label's text: absent is empty; a text over the length limit refuses the record (as for notes). */
export function readLabelText(record: Readonly<Record<string, unknown>>): string | null {
  return record.text === undefined ? '' : readText(record.text);
}

/** Alignment fields, repaired to `defaults` when missing or unknown. */
export function readTextPlacement(record: Readonly<Record<string, unknown>>, defaults: TextPlacement): TextPlacement {
  return {
    textAlign: pick(record.textAlign, TEXT_ALIGNS, defaults.textAlign),
    verticalAlign: pick(record.verticalAlign, VERTICAL_ALIGNS, defaults.verticalAlign),
  };
}

/** Where a label of a box sits unless a record says otherwise: in the middle, as in every whiteboard. */
export const CENTERED: Readonly<TextPlacement> = Object.freeze({ textAlign: 'center', verticalAlign: 'middle' });

/** Reads a box's label fields; a string says why the record is refused. */
export function readLabel(record: Readonly<Record<string, unknown>>, defaults: TextPlacement = CENTERED): LabelFields | string {
  const text = readLabelText(record);
  if (text === null) return 'text is too long';
  return { text, ...readTextPlacement(record, defaults) };
}

/** A box's label fields when it has none: what the gate reads for a record without them. */
export const NO_LABEL: Readonly<LabelFields> = Object.freeze({ text: '', ...CENTERED });

/** How the definition of a type with a label says it has text: a label may be empty, and is then not stored. */
export const LABEL_TEXT = Object.freeze({ keepBlank: true, optional: true } as const);
