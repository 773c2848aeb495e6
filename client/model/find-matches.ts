import { hasText, type Shape } from '../../shared/schema.ts';

/** One shape whose text or frame name holds the query. */
export interface FindMatch {
  id: string;
  /** The words around the first occurrence, on one line, "…" where cut. */
  excerpt: string;
}

/** Characters kept before and after the matched part in an excerpt. */
const EXCERPT_BEFORE = 20;
const EXCERPT_AFTER = 40;

/** The searchable text of a shape: its text or label, a frame's name; '' for the others. */
export function searchableText(shape: Shape): string {
  if (hasText(shape)) return shape.text;
  if (shape.type === 'frame') return shape.name;
  return '';
}

/**
 * The shapes whose text (texts, notes, labels) or frame name holds `query`, ignoring case, in
 * z-order (bottom first, the order board.ordered() keeps): one pass with no sorting, so 50,000
 * shapes cost one lowercase copy of each text and nothing else. A blank query matches nothing.
 */
export function findMatches(shapes: readonly Shape[], query: string): FindMatch[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const matches: FindMatch[] = [];
  for (const shape of shapes) {
    const text = searchableText(shape);
    if (text.length < needle.length) continue;
    const at = text.toLowerCase().indexOf(needle);
    if (at < 0) continue;
    matches.push({ id: shape.id, excerpt: excerptAt(text, at, needle.length) });
  }
  return matches;
}

/** The text around [at, at + length), whitespace runs folded to one space. */
export function excerptAt(text: string, at: number, length: number): string {
  const start = Math.max(0, at - EXCERPT_BEFORE);
  const end = Math.min(text.length, at + length + EXCERPT_AFTER);
  const middle = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${middle}${end < text.length ? '…' : ''}`;
}
