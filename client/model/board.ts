import * as Y from 'yjs';
import {
  deleteShape,
  readShapeFromDoc,
  getShapesMap,
  indexAbove,
  compareShapeOrder,
  storedFrameId,
  topIndex,
  updateShape,
  writeShape,
  type ShapeMap,
} from '../../shared/doc.ts';
import { IMPORT_ORIGIN, LOCAL_ORIGIN, originKind, type OriginKind } from '../../shared/origins.ts';
import { hasBoundEnds, holdsShapes, isValidIndex, readShape, shapeFields, type LinearShape, type Shape } from '../../shared/schema.ts';
import { detachBindings } from './bindings.ts';
import { resolveBoundEnds, type OutlineOf } from './bound-ends.ts';
import { createEmitter } from './emitter.ts';
import type { NewShape, ShapePatch, ShapeSource } from './shape.ts';

// Declared in shape.ts, which imports nothing of the board (so the geometry and the bindings need
// not import it); re-exported for the board's callers.
export type { DistributiveOmit, NewShape, ShapePatch } from './shape.ts';

/** What one document transaction changed, after the board's cache took it in. */
export interface BoardChange {
  /** Ids whose shape was added, changed, removed or refused by the gate. */
  readonly ids: ReadonlySet<string>;
  /** Who made the change; null for origins set by libraries (the sync provider). */
  readonly origin: OriginKind | null;
  /** True for the local user's own edits: the ones undo will track. */
  readonly local: boolean;
}

/** A refused record: the schema gate said no. */
export class InvalidShapeError extends Error {
  readonly code = 'invalid-shape';
  constructor(
    readonly shapeId: string,
    readonly reason: string,
  ) {
    super(`shape ${shapeId} is invalid: ${reason}`);
    this.name = 'InvalidShapeError';
  }
}

/** A command was refused because this page may only view the board (see sync/access-mode.ts). */
export class ReadOnlyError extends Error {
  readonly code = 'read-only';
  constructor() {
    super('this board is view only');
    this.name = 'ReadOnlyError';
  }
}

export interface BoardOptions {
  /**
   * False while the page may only view the board: every command then throws ReadOnlyError
   * before touching the doc, so no local edit exists that the server would drop.
   */
  writable?: () => boolean;
  /** The edge of a shape in its own frame, where bound ends stop (the box when absent or null). */
  outlineOf?: OutlineOf;
}

/**
 * The board: the validated view of the shared document plus the commands that change it.
 * Every command is one LOCAL_ORIGIN transaction, so an UndoManager tracking LOCAL_ORIGIN sees one
 * undo step per command.
 */
export interface Board extends ShapeSource {
  readonly doc: Y.Doc;
  /** Where bound ends stop on a shape (BoardOptions.outlineOf); undefined: its box. */
  readonly outlineOf: OutlineOf | undefined;
  /** The shape with this id if it exists and passes the gate. */
  get(id: string): Shape | undefined;
  has(id: string): boolean;
  /** All valid shapes in z-order (bottom first). The array is shared: do not mutate it. */
  ordered(): readonly Shape[];
  readonly size: number;
  /** Adds a shape above every other one; returns the stored shape. Throws InvalidShapeError. */
  addShape(shape: NewShape): Shape;
  /**
   * Moves shapes by a delta, relative to where they are now (a concurrent move is kept). A
   * frame's children move with it, whether they are among `ids` or not.
   */
  moveShapes(ids: Iterable<string>, dx: number, dy: number): void;
  /**
   * Applies field patches to existing shapes in one transaction; missing shapes are skipped.
   * Positions are board coordinates: a child patched with its frame lands where its patch says.
   */
  updateShapes(patches: ReadonlyMap<string, ShapePatch>): void;
  /**
   * Deletes shapes, and the children of the frames among them; lines and arrows bound to them
   * stay where they are, unbound, in the same transaction.
   */
  deleteShapes(ids: Iterable<string>): void;
  /** The ids of the shapes whose record names this frame, valid or not. */
  childrenOf(frameId: string): ReadonlySet<string>;
  /**
   * Writes whole shapes as they are, ids and z-order indices kept (replacing any shape with the
   * same id), in one IMPORT_ORIGIN transaction: an imported file is one undo step. The shapes
   * must already have passed the schema gate.
   */
  importShapes(shapes: readonly Shape[]): void;
  /** Runs `fn` as one local transaction: several commands inside become one undo step. */
  batch(fn: () => void): void;
  /** Called after each transaction that touched shapes, once the cache is up to date. */
  onChange(listener: (change: BoardChange) => void): () => void;
  close(): void;
}

/** Binds a board to a Y.Doc; the doc stays owned by the caller. */
export function createBoard(doc: Y.Doc, options: BoardOptions = {}): Board {
  const shapesMap = getShapesMap(doc);
  const cache = new Map<string, Shape>();
  // Sorting 10k shapes on every change is wasted work; sort lazily when someone asks.
  let orderedCache: Shape[] | null = null;
  // A broken record is re-read on every change to it; warn about it once, not on every keystroke.
  const warned = new Set<string>();
  const changes = createEmitter<BoardChange>();
  // A child's board position follows its frame's: which records name which frame, so a change to
  // a frame re-reads its children.
  const frameOf = new Map<string, string>();
  const children = new Map<string, Set<string>>();
  const NO_CHILDREN: ReadonlySet<string> = new Set();
  // Bound ends are derived from the shapes they are bound to (bound-ends.ts): the lines and arrows
  // as stored, and which of them each shape holds, so a change to a shape re-resolves its arrows
  // whoever made it (a remote user, an undo, a bot writing only the shape).
  const storedLinear = new Map<string, LinearShape>();
  const boundTo = new Map<string, Set<string>>();
  const targetsOf = new Map<string, readonly string[]>();

  const linkBindings = (id: string, shape: LinearShape | undefined): void => {
    for (const target of targetsOf.get(id) ?? []) {
      boundTo.get(target)?.delete(id);
      if (boundTo.get(target)?.size === 0) boundTo.delete(target);
    }
    targetsOf.delete(id);
    if (shape === undefined) return;
    const targets = [shape.startBinding, shape.endBinding].filter((target): target is string => target !== null);
    if (targets.length === 0) return;
    targetsOf.set(id, targets);
    for (const target of targets) {
      let set = boundTo.get(target);
      if (set === undefined) boundTo.set(target, (set = new Set()));
      set.add(id);
    }
  };

  const resolve = (id: string): void => {
    const stored = storedLinear.get(id);
    if (stored !== undefined) cache.set(id, resolveBoundEnds(stored, (target) => (target === id ? undefined : cache.get(target)), options.outlineOf));
  };

  const linkFrame = (id: string): void => {
    const before = frameOf.get(id);
    const after = storedFrameId(doc, id);
    if (before === after) return;
    if (before !== undefined) {
      children.get(before)?.delete(id);
      if (children.get(before)?.size === 0) children.delete(before);
      frameOf.delete(id);
    }
    if (after !== null) {
      frameOf.set(id, after);
      let set = children.get(after);
      if (set === undefined) children.set(after, (set = new Set()));
      set.add(id);
    }
  };

  const isFrame = (id: string): boolean => {
    const shape = cache.get(id);
    return shape !== undefined && holdsShapes(shape);
  };

  const refresh = (id: string): void => {
    linkFrame(id);
    storedLinear.delete(id);
    if (!shapesMap.has(id)) {
      linkBindings(id, undefined);
      cache.delete(id);
      return;
    }
    const result = readShapeFromDoc(doc, id);
    if (result.ok) {
      cache.set(id, result.shape);
      if (hasBoundEnds(result.shape)) storedLinear.set(id, result.shape);
      linkBindings(id, hasBoundEnds(result.shape) ? result.shape : undefined);
      return;
    }
    linkBindings(id, undefined);
    cache.delete(id);
    if (!warned.has(id)) {
      warned.add(id);
      console.warn(`easel: skipping shape ${id}: ${result.problem.reason}`);
    }
  };

  shapesMap.forEach((_entry, id) => refresh(id));
  for (const id of storedLinear.keys()) resolve(id);

  const onDeep = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void => {
    const ids = changedShapeIds(shapesMap, events);
    if (ids.size === 0) return;
    for (const id of [...ids]) for (const child of children.get(id) ?? NO_CHILDREN) ids.add(child);
    for (const id of ids) refresh(id);
    for (const id of [...ids]) for (const linear of boundTo.get(id) ?? NO_CHILDREN) ids.add(linear);
    for (const id of ids) resolve(id);
    orderedCache = null;
    const origin = originKind(transaction.origin);
    changes.emit({ ids, origin, local: origin === 'local' });
  };
  shapesMap.observeDeep(onDeep);

  // Yjs folds a nested transact into the outer one, so commands inside `batch` are one undo step.
  const checkWritable = (): void => {
    if (options.writable?.() === false) throw new ReadOnlyError();
  };
  const transact = (fn: () => void): void => {
    checkWritable();
    doc.transact(fn, LOCAL_ORIGIN);
  };

  const topValidIndex = (): string | null => {
    const top = topIndex(doc);
    if (top === null || isValidIndex(top)) return top;
    // A malformed index from a broken record would make every insert throw; the cache only holds
    // records that passed the gate (it may lag inside a batch, which only risks an equal index).
    let max: string | null = null;
    for (const shape of cache.values()) if (max === null || shape.index > max) max = shape.index;
    return max;
  };

  return {
    doc,
    outlineOf: options.outlineOf,
    get: (id) => cache.get(id),
    has: (id) => cache.has(id),
    ordered() {
      orderedCache ??= [...cache.values()].sort(compareShapeOrder);
      return orderedCache;
    },
    get size() {
      return cache.size;
    },
    addShape(input) {
      let stored: Shape | undefined;
      transact(() => {
        const top = topValidIndex();
        const index = indexAbove(top === null ? [] : [{ index: top }]);
        const result = readShape(input.id, shapeFields({ ...input, index } as Shape));
        if (!result.ok) throw new InvalidShapeError(input.id, result.problem.reason);
        writeShape(doc, result.shape);
        stored = result.shape;
      });
      if (stored === undefined) throw new Error('addShape: transaction did not run');
      return stored;
    },
    moveShapes(ids, dx, dy) {
      if (dx === 0 && dy === 0) return;
      const moving = new Set(ids);
      transact(() => {
        for (const id of moving) {
          // Stored from its frame's origin: it moves when the frame does.
          const frameId = storedFrameId(doc, id);
          if (frameId !== null && moving.has(frameId) && cache.get(frameId)?.locked === false) continue;
          // Read the doc, not the cache: inside a batch the cache lags behind this transaction.
          const current = readShapeFromDoc(doc, id);
          if (!current.ok || current.shape.locked) continue;
          updateShape(doc, id, { x: current.shape.x + dx, y: current.shape.y + dy });
        }
      });
    },
    updateShapes(patches) {
      if (patches.size === 0) return;
      // Frames first: a child's position is stored from where its frame is once this is done.
      const frames = [...patches].filter(([id]) => isFrame(id));
      const others = [...patches].filter(([id]) => !isFrame(id));
      transact(() => {
        for (const [id, patch] of [...frames, ...others]) updateShape(doc, id, patch);
      });
    },
    deleteShapes(ids) {
      const all = new Set(ids);
      for (const id of [...all]) if (isFrame(id)) for (const child of children.get(id) ?? NO_CHILDREN) all.add(child);
      const list = [...all].filter((id) => shapesMap.has(id));
      if (list.length === 0) return;
      transact(() => {
        for (const id of list) deleteShape(doc, id);
        for (const [id, patch] of detachBindings(cache.values(), new Set(list))) updateShape(doc, id, patch);
      });
    },
    importShapes(shapes) {
      if (shapes.length === 0) return;
      checkWritable();
      // Frames first: a child is stored from its frame's origin.
      const ordered = [...shapes.filter((shape) => holdsShapes(shape)), ...shapes.filter((shape) => !holdsShapes(shape))];
      doc.transact(() => {
        for (const shape of ordered) writeShape(doc, shape);
      }, IMPORT_ORIGIN);
    },
    batch(fn) {
      transact(fn);
    },
    childrenOf: (frameId) => children.get(frameId) ?? NO_CHILDREN,
    onChange: (listener) => changes.on(listener),
    close() {
      shapesMap.unobserveDeep(onDeep);
      changes.clear();
      cache.clear();
      frameOf.clear();
      children.clear();
      storedLinear.clear();
      boundTo.clear();
      targetsOf.clear();
      orderedCache = null;
    },
  };
}

/**
 * Ids of the shapes a deep-observe batch touched: keys changed on the shapes map itself (added,
 * replaced, deleted) and the shape whose field map changed. This reads the doc's nesting, which
 * is shared/doc.ts's business; it lives here until shared/ offers an equivalent.
 */
function changedShapeIds(shapesMap: Y.Map<ShapeMap>, events: Array<Y.YEvent<Y.AbstractType<unknown>>>): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.target === shapesMap) {
      for (const key of event.changes.keys.keys()) ids.add(key);
    } else {
      const id = event.path[0];
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}
