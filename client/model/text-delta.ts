/** One step of a Y.Text change as Yjs reports it (Y.YTextEvent.delta), embeds and formats aside. */
export type TextDelta = ReadonlyArray<{ insert?: unknown; delete?: number; retain?: number }>;

/**
 * Where index `index` of a text is after the change `delta` made to it. Text inserted exactly at
 * the index goes after it: a caret stays before what someone else types at the same place, so two
 * people typing at one spot each keep their words whole instead of interleaving letters.
 */
export function mapIndexThroughDelta(delta: TextDelta, index: number): number {
  let at = 0; // position in the text before the change
  let shift = 0;
  for (const op of delta) {
    if (at >= index) break;
    if (op.retain !== undefined) {
      at += op.retain;
    } else if (op.insert !== undefined) {
      shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      shift -= Math.min(op.delete, index - at);
      at += op.delete;
    }
  }
  return Math.max(0, index + shift);
}
