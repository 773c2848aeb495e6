/**
 * Presence: what each client publishes through Yjs awareness. Awareness states come from other
 * clients, so readPresence is the gate that turns an untrusted state into a Presence or null.
 * Everything a client publishes goes through writePresence, which caps it to what the gate (and
 * the server's awareness size limit) accepts.
 */
import type { TextAnchor } from './doc.ts';
import { isValidShapeId, readShape, shapeDef, type Shape } from './schema.ts';

export interface PresenceUser {
  name: string;
  /** CSS hex colour, #rrggbb. */
  color: string;
}

/**
 * A board point with a time, for the laser pointer trail. `t` is in ms on any steady clock of the
 * sender; receivers only compare points of one sender with each other, so clocks need not agree.
 */
export interface LaserPoint {
  x: number;
  y: number;
  t: number;
}

/**
 * The part of the board a user sees: board point p is at screen pixel p * scale + (x, y), and the
 * screen is width × height CSS pixels. Followers centre on the same board point.
 */
export interface PresenceViewport {
  x: number;
  y: number;
  scale: number;
  width: number;
  height: number;
}

/** A board point. */
export interface PresencePoint {
  x: number;
  y: number;
}

/**
 * A resize or rotation in progress, as parameters rather than shapes, so a gesture on hundreds of
 * shapes stays a few bytes: receivers apply it to their own copies of the shapes.
 */
export type GestureTransform =
  /** Scaled by (sx, sy) about `origin`, then moved so that `origin` lands on `to`. */
  | { kind: 'scale'; origin: PresencePoint; sx: number; sy: number; to: PresencePoint }
  /** Turned by `degrees` about `center`. */
  | { kind: 'rotate'; center: PresencePoint; degrees: number };

/**
 * What a user is in the middle of doing, for the others to watch as it happens. It is never
 * stored: the document gets the result once, when the gesture ends, and the gesture leaves with
 * the user's presence if they disconnect.
 */
export type PresenceGesture =
  /** A shape being drawn, as it would be written if released now (shown in its final look). */
  | { kind: 'draw'; shape: Shape }
  /** Shapes being dragged by (dx, dy). */
  | { kind: 'move'; ids: string[]; dx: number; dy: number }
  /** Shapes being resized or rotated. */
  | { kind: 'transform'; ids: string[]; transform: GestureTransform }
  /** Shapes the eraser has passed over, deleted when it lets go. */
  | { kind: 'erase'; ids: string[] };

/**
 * Where a user is typing: the text or sticky shape, and their selection in its text as anchors
 * (shared/doc.ts), which others resolve against their own copy of the text. `head` is the caret;
 * `anchor` equals it when nothing is selected.
 */
export interface PresenceTyping {
  id: string;
  anchor: TextAnchor;
  head: TextAnchor;
}

export interface Presence {
  user: PresenceUser;
  /** Pointer position in board coordinates, or null when the pointer is off the board. */
  cursor: { x: number; y: number } | null;
  /** Ids of the shapes this user has selected. */
  selection: string[];
  /** The laser pointer trail, oldest first; empty when the laser is not in use. */
  laser: LaserPoint[];
  /** True once the user has done nothing for PRESENCE_TIMING.idleAfterMs. */
  idle: boolean;
  /** What the user is looking at, for following; null until known. */
  viewport: PresenceViewport | null;
  /** Where the user is typing; absent when they are not (and from clients that never type). */
  typing?: PresenceTyping;
  /** The gesture in progress, if any. */
  gesture: PresenceGesture | null;
}

export const PRESENCE_LIMITS = {
  maxNameLength: 40,
  /**
   * Selected ids published at most. The server closes a connection whose presence is over 16 KiB
   * (CLOSE_CODE.awarenessTooLarge); 200 ids of up to 36 characters stay well under that.
   */
  maxSelection: 200,
  /** Characters of selected ids published at most: 200 ids of the longest kind would not fit. */
  maxSelectionChars: 8_000,
  /** Laser points published at most (the newest are kept). */
  maxLaserPoints: 64,
  /** Smallest and largest zoom a published viewport may claim. */
  minScale: 0.01,
  maxScale: 100,
  /** Largest screen side a published viewport may claim, in CSS pixels. */
  maxViewportSide: 100_000,
  /** Longest root type name a text anchor may name (a note's text is nested and names none). */
  maxAnchorNameChars: 64,
  /**
   * Points of a shape being drawn published at most; a longer stroke is thinned evenly for the
   * preview (the document gets every point on release).
   */
  maxGesturePoints: 200,
  /** Shape ids a gesture names at most, and their characters: a larger selection moves on release. */
  maxGestureIds: 200,
  maxGestureIdChars: 4_000,
} as const;

export const PRESENCE_TIMING = {
  /** Local presence is published at most this often: about 30 updates a second. */
  publishIntervalMs: 33,
  /**
   * While a gesture is in progress, at the display rate, so others see it move smoothly; in a
   * larger room less often (see gesturePublishIntervalMs).
   */
  gesturePublishIntervalMs: 16,
  /**
   * How long others keep showing a gesture that has ended, waiting for its result to arrive in
   * the document (presence and document travel apart; without this a drawn shape would blink).
   */
  gestureLingerMs: 500,
  /** No pointer or key activity for this long marks a user idle. */
  idleAfterMs: 60_000,
  /** How long a laser point stays visible before it has faded out. */
  laserFadeMs: 1_200,
} as const;

/**
 * How often a gesture in progress is published with `others` other people on the board. Every
 * state goes to everyone, and a stroke's is a few kilobytes: at the display rate, 50 people
 * drawing in a class of 200 would send each of the others over 10 MB a second. So the display
 * rate holds for a small room, and the rate drops as the room grows (at 66 ms a remote stroke
 * still moves 15 times a second).
 */
export function gesturePublishIntervalMs(others: number): number {
  if (others <= 10) return PRESENCE_TIMING.gesturePublishIntervalMs;
  if (others <= 50) return PRESENCE_TIMING.publishIntervalMs;
  return 2 * PRESENCE_TIMING.publishIntervalMs;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function readPoint(value: unknown): { x: number; y: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { x, y } = value as Record<string, unknown>;
  return isFiniteNumber(x) && isFiniteNumber(y) ? { x, y } : null;
}

function readLaser(value: unknown): LaserPoint[] {
  if (!Array.isArray(value)) return [];
  const points: LaserPoint[] = [];
  for (const item of value.slice(-PRESENCE_LIMITS.maxLaserPoints)) {
    const point = readPoint(item);
    const t = (item as Record<string, unknown> | null)?.t;
    if (point !== null && isFiniteNumber(t)) points.push({ ...point, t });
  }
  return points;
}

function readIds(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter((id): id is string => typeof id === 'string').slice(0, PRESENCE_LIMITS.maxGestureIds);
}

function readTransform(value: unknown): GestureTransform | null {
  if (typeof value !== 'object' || value === null) return null;
  const t = value as Record<string, unknown>;
  if (t.kind === 'scale') {
    const origin = readPoint(t.origin);
    const to = readPoint(t.to);
    const { sx, sy } = t;
    if (origin === null || to === null || !isFiniteNumber(sx) || !isFiniteNumber(sy) || sx <= 0 || sy <= 0) return null;
    return { kind: 'scale', origin, sx, sy, to };
  }
  if (t.kind === 'rotate') {
    const center = readPoint(t.center);
    return center !== null && isFiniteNumber(t.degrees) ? { kind: 'rotate', center, degrees: t.degrees } : null;
  }
  return null;
}

/** A gesture from another client, or null if it is not one (the shape passes the schema gate). */
function readGesture(value: unknown): PresenceGesture | null {
  if (typeof value !== 'object' || value === null) return null;
  const g = value as Record<string, unknown>;
  switch (g.kind) {
    case 'draw': {
      const shape = g.shape as Record<string, unknown> | null;
      if (typeof shape !== 'object' || shape === null) return null;
      const read = readShape(shape.id, shape);
      return read.ok ? { kind: 'draw', shape: read.shape } : null;
    }
    case 'move': {
      const ids = readIds(g.ids);
      return ids !== null && isFiniteNumber(g.dx) && isFiniteNumber(g.dy) ? { kind: 'move', ids, dx: g.dx, dy: g.dy } : null;
    }
    case 'transform': {
      const ids = readIds(g.ids);
      const transform = readTransform(g.transform);
      return ids !== null && transform !== null ? { kind: 'transform', ids, transform } : null;
    }
    case 'erase': {
      const ids = readIds(g.ids);
      return ids !== null ? { kind: 'erase', ids } : null;
    }
    default:
      return null;
  }
}

function readViewport(value: unknown): PresenceViewport | null {
  if (typeof value !== 'object' || value === null) return null;
  const { x, y, scale, width, height } = value as Record<string, unknown>;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(scale) || !isFiniteNumber(width) || !isFiniteNumber(height)) return null;
  if (scale < PRESENCE_LIMITS.minScale || scale > PRESENCE_LIMITS.maxScale) return null;
  if (width <= 0 || height <= 0 || width > PRESENCE_LIMITS.maxViewportSide || height > PRESENCE_LIMITS.maxViewportSide) return null;
  return { x, y, scale, width, height };
}

/** A user name as shown: trimmed, capped, never empty. */
export function cleanName(name: string): string {
  const trimmed = name.replace(/\s+/g, ' ').trim().slice(0, PRESENCE_LIMITS.maxNameLength);
  return trimmed === '' ? 'Anonymous' : trimmed;
}

/** A Yjs item id: two non-negative integers. */
function readItemId(value: unknown): { client: number; clock: number } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { client, clock } = value as Record<string, unknown>;
  const valid = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  return valid(client) && valid(clock) ? { client, clock } : null;
}

/**
 * A text anchor (Y.RelativePosition JSON) from another client: an item id, a type id or a root
 * type name, and an association; a few dozen bytes at most, whatever was sent.
 */
function readTextAnchor(value: unknown): TextAnchor | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { type, tname, item, assoc } = value as Record<string, unknown>;
  const anchor: TextAnchor = {};
  if (item != null) {
    const id = readItemId(item);
    if (id === null) return null;
    anchor.item = id;
  }
  if (type != null) {
    const id = readItemId(type);
    if (id === null) return null;
    anchor.type = id;
  }
  if (tname != null) {
    if (typeof tname !== 'string' || tname.length > PRESENCE_LIMITS.maxAnchorNameChars) return null;
    anchor.tname = tname;
  }
  if (anchor.item === undefined && anchor.type === undefined && anchor.tname === undefined) return null;
  if (assoc != null) {
    if (!Number.isSafeInteger(assoc)) return null;
    anchor.assoc = Math.sign(assoc as number);
  }
  return anchor;
}

/** Where another client is typing, or null if the state holds no usable one. */
function readTyping(value: unknown): PresenceTyping | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, anchor, head } = value as Record<string, unknown>;
  if (!isValidShapeId(id)) return null;
  const readHead = readTextAnchor(head);
  const readAnchor = readTextAnchor(anchor);
  return readHead === null || readAnchor === null ? null : { id, anchor: readAnchor, head: readHead };
}

/** True for a #rrggbb colour. */
export function isPresenceColor(color: string): boolean {
  return COLOR.test(color);
}

/**
 * Validates an awareness state from another client; null if it is not a usable presence. Fields
 * other than `user` are optional (older clients, Node tools) and read as "nothing to show".
 */
export function readPresence(state: unknown): Presence | null {
  if (typeof state !== 'object' || state === null) return null;
  const { user, cursor, selection, laser, idle, viewport, gesture } = state as Record<string, unknown>;
  if (typeof user !== 'object' || user === null) return null;
  const { name, color } = user as Record<string, unknown>;
  if (typeof name !== 'string' || typeof color !== 'string' || !COLOR.test(color)) return null;
  const ids = Array.isArray(selection)
    ? selection.filter((id): id is string => typeof id === 'string').slice(0, PRESENCE_LIMITS.maxSelection)
    : [];
  return {
    user: { name: cleanName(name), color },
    cursor: readPoint(cursor),
    selection: ids,
    laser: readLaser(laser),
    idle: idle === true,
    viewport: readViewport(viewport),
    ...typingField(readTyping((state as Record<string, unknown>).typing)),
    gesture: readGesture(gesture),
  };
}

/** `typing` as an optional field: absent, not null, when the user is not typing. */
function typingField(typing: PresenceTyping | null): { typing?: PresenceTyping } {
  return typing === null ? {} : { typing };
}

/** Hundredths of a board unit are finer than any screen shows, and keep the JSON short. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Ids capped to what a gesture may name. */
function capIds(ids: readonly string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const id of ids.slice(0, PRESENCE_LIMITS.maxGestureIds)) {
    chars += id.length + 3;
    if (chars > PRESENCE_LIMITS.maxGestureIdChars) break;
    out.push(id);
  }
  return out;
}

/**
 * A flat array of `size`-number points (x, y[, pressure]) for a preview: coordinates to a tenth
 * of a unit, pressure to a hundredth, and at most `max` points, picked evenly, the last one kept.
 */
function thinPoints(points: readonly number[], size: number, max: number): number[] {
  const count = Math.floor(points.length / size);
  const rounded = (at: number, j: number): number => {
    const n = points[at * size + j]!;
    return j === 2 ? Math.round(n * 100) / 100 : Math.round(n * 10) / 10;
  };
  const picked = count <= max ? count : max;
  const out: number[] = [];
  for (let k = 0; k < picked; k++) {
    const at = count <= max ? k : k === max - 1 ? count - 1 : Math.floor((k * (count - 1)) / (max - 1));
    for (let j = 0; j < size; j++) out.push(rounded(at, j));
  }
  return out;
}

/** The gesture as published: ids capped, a drawn shape's points thinned and rounded. */
function writeGesture(gesture: PresenceGesture | null): PresenceGesture | null {
  if (gesture === null) return null;
  switch (gesture.kind) {
    case 'draw': {
      const { shape } = gesture;
      const stride = shapeDef(shape.type)?.pointStride;
      if (stride === undefined || !('points' in shape)) return gesture;
      return { kind: 'draw', shape: { ...shape, points: thinPoints(shape.points, stride, PRESENCE_LIMITS.maxGesturePoints) } };
    }
    case 'move':
      return { kind: 'move', ids: capIds(gesture.ids), dx: round(gesture.dx), dy: round(gesture.dy) };
    case 'transform':
      return { kind: 'transform', ids: capIds(gesture.ids), transform: gesture.transform };
    case 'erase':
      return { kind: 'erase', ids: capIds(gesture.ids) };
  }
}

/**
 * The awareness state to publish for `presence`, capped so that readPresence keeps all of it and
 * the whole state stays well under the server's awareness limit (16 KiB by default): a state over
 * it gets the connection refused for good.
 */
export function writePresence(presence: Presence): Record<string, unknown> {
  const selection: string[] = [];
  let chars = 0;
  for (const id of presence.selection.slice(0, PRESENCE_LIMITS.maxSelection)) {
    chars += id.length + 3; // quotes and comma
    if (chars > PRESENCE_LIMITS.maxSelectionChars) break;
    selection.push(id);
  }
  return {
    user: { name: cleanName(presence.user.name), color: presence.user.color },
    cursor: presence.cursor === null ? null : { x: round(presence.cursor.x), y: round(presence.cursor.y) },
    selection,
    laser: presence.laser.slice(-PRESENCE_LIMITS.maxLaserPoints).map((p) => ({ x: round(p.x), y: round(p.y), t: Math.round(p.t) })),
    idle: presence.idle,
    viewport: presence.viewport,
    // Through the same gate the others read it with, so nothing is sent that they would drop.
    ...typingField(presence.typing === undefined ? null : readTyping(presence.typing)),
    gesture: writeGesture(presence.gesture),
  };
}
