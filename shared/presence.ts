/**
 * Presence: what each client publishes through Yjs awareness. Awareness states come from other
 * clients, so readPresence is the gate that turns an untrusted state into a Presence or null.
 * Everything a client publishes goes through writePresence, which caps it to what the gate (and
 * the server's awareness size limit) accepts.
 */

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
} as const;

export const PRESENCE_TIMING = {
  /** Local presence is published at most this often: about 30 updates a second. */
  publishIntervalMs: 33,
  /** No pointer or key activity for this long marks a user idle. */
  idleAfterMs: 60_000,
  /** How long a laser point stays visible before it has faded out. */
  laserFadeMs: 1_200,
} as const;

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
  const { user, cursor, selection, laser, idle, viewport } = state as Record<string, unknown>;
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
  };
}

/** Hundredths of a board unit are finer than any screen shows, and keep the JSON short. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
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
  };
}
