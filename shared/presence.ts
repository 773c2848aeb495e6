/**
 * Presence: what each client publishes through Yjs awareness. Awareness states come from other
 * clients, so readPresence is the gate that turns an untrusted state into a Presence or null.
 */

export interface PresenceUser {
  name: string;
  /** CSS hex colour, #rrggbb. */
  color: string;
}

export interface Presence {
  user: PresenceUser;
  /** Pointer position in board coordinates, or null when the pointer is off the board. */
  cursor: { x: number; y: number } | null;
  /** Ids of the shapes this user has selected. */
  selection: string[];
}

export const PRESENCE_LIMITS = {
  maxNameLength: 40,
  maxSelection: 10_000,
} as const;

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** Validates an awareness state from another client; null if it is not a usable presence. */
export function readPresence(state: unknown): Presence | null {
  if (typeof state !== 'object' || state === null) return null;
  const { user, cursor, selection } = state as Record<string, unknown>;
  if (typeof user !== 'object' || user === null) return null;
  const { name, color } = user as Record<string, unknown>;
  if (typeof name !== 'string' || typeof color !== 'string' || !COLOR.test(color)) return null;
  let point: Presence['cursor'] = null;
  if (typeof cursor === 'object' && cursor !== null) {
    const { x, y } = cursor as Record<string, unknown>;
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) point = { x, y };
  }
  const ids = Array.isArray(selection)
    ? selection.filter((id): id is string => typeof id === 'string').slice(0, PRESENCE_LIMITS.maxSelection)
    : [];
  return { user: { name: name.slice(0, PRESENCE_LIMITS.maxNameLength), color }, cursor: point, selection: ids };
}
