/**
 * The benchmark's document edits, written the way the Easel client writes them, one local
 * transaction (so one update) each: a finished pen stroke is one new ink shape holding one
 * immutable points array; a move sets a shape's x and y. Every update also stores the time it
 * was sent under its own key in a `bench` map, so receivers can tell which update arrived and
 * how long it took.
 */
import * as Y from 'yjs';
import { indexBetween, updateShape, writeShape } from '../shared/doc.ts';
import { LOCAL_ORIGIN } from '../shared/origins.ts';
import { DEFAULT_STYLE, type InkShape } from '../shared/schema.ts';
import { seededRandom } from '../tests/helpers/client.ts';

/** The top-level map holding `<sender>.<seq>` → send time (ms since the epoch, fractional). */
export const BENCH_MAP = 'bench';

/** Points per stroke: 16–64 [x, y, pressure] triples, so 48–192 numbers. */
const MIN_POINTS = 16;
const MAX_POINTS = 64;

/** The wall clock in fractional milliseconds, comparable across processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The key of update `seq` of client `sender` in the bench map. */
export function benchKey(sender: number, seq: number): string {
  return `${sender}.${seq}`;
}

/** The sender of a bench map key. */
export function senderOf(key: string): number {
  return Number(key.slice(0, key.indexOf('.')));
}

/**
 * A random-walk ink stroke, rounded like the pen tool rounds (0.01 board units, 0.001 pressure),
 * of `points.min`–`points.max` points (default 16–64).
 */
export function makeStroke(random: () => number, id: string, index: string, points = { min: MIN_POINTS, max: MAX_POINTS }): InkShape {
  const count = points.min + Math.floor(random() * (points.max - points.min + 1));
  const coordinates: number[] = [];
  let x = 0;
  let y = 0;
  for (let i = 0; i < count; i++) {
    x += Math.round((random() - 0.3) * 800) / 100;
    y += Math.round((random() - 0.5) * 800) / 100;
    coordinates.push(x, y, Math.round((0.3 + random() * 0.5) * 1000) / 1000);
  }
  return {
    ...DEFAULT_STYLE,
    id,
    type: 'ink',
    x: Math.round(random() * 400_000) / 100,
    y: Math.round(random() * 300_000) / 100,
    rotation: 0,
    index,
    locked: false,
    points: coordinates,
  };
}

/** Writes one client's strokes (and moves of them) into its doc, one transaction each. */
export class StrokeWriter {
  private readonly random: () => number;
  private lastIndex: string | null = null;
  private seq = 0;
  private readonly strokeIds: string[] = [];

  constructor(
    private readonly doc: Y.Doc,
    /** The client's index, unique across the run: it names its shapes and bench keys. */
    private readonly sender: number,
    seed: number,
  ) {
    this.random = seededRandom(seed * 100_003 + sender);
  }

  /** Updates written so far. */
  get written(): number {
    return this.seq;
  }

  /** Writes the next stroke, stamped with the current time. */
  write(): void {
    const seq = this.seq++;
    // Each client stacks its strokes on its own top; ties between clients are broken by id.
    this.lastIndex = indexBetween(this.lastIndex, null);
    const shape = makeStroke(this.random, `c${this.sender}-${seq}`, this.lastIndex);
    this.strokeIds.push(shape.id);
    const bench = this.doc.getMap<number>(BENCH_MAP);
    const sentAt = now();
    this.doc.transact(() => {
      writeShape(this.doc, shape);
      bench.set(benchKey(this.sender, seq), sentAt);
    }, LOCAL_ORIGIN);
  }

  /** Moves one of this client's earlier strokes (writes a stroke if there is none yet). */
  move(): void {
    if (this.strokeIds.length === 0) return this.write();
    const seq = this.seq++;
    const id = this.strokeIds[Math.floor(this.random() * this.strokeIds.length)]!;
    const x = Math.round(this.random() * 400_000) / 100;
    const y = Math.round(this.random() * 300_000) / 100;
    const bench = this.doc.getMap<number>(BENCH_MAP);
    const sentAt = now();
    this.doc.transact(() => {
      updateShape(this.doc, id, { x, y });
      bench.set(benchKey(this.sender, seq), sentAt);
    }, LOCAL_ORIGIN);
  }
}
