import { PATHS, boardPath, isValidRoomName } from '../../shared/protocol.ts';

/** The room named by a `/b/<room>` path (a trailing slash is tolerated), or null. */
export function roomFromPath(pathname: string): string | null {
  const prefix = `${PATHS.board}/`;
  if (!pathname.startsWith(prefix)) return null;
  const segment = pathname.slice(prefix.length).replace(/\/$/, '');
  if (segment.includes('/')) return null;
  let room: string;
  try {
    room = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return isValidRoomName(room) ? room : null;
}

/**
 * A fresh, unguessable room name: 12 URL-safe characters (72 random bits), the same kind the
 * server makes. getRandomValues, unlike randomUUID, also exists over plain http on a LAN.
 */
export function newRoomName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  // 9 bytes are exactly 12 base64 characters, so there is no padding to strip.
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * The room of this page. If the path names none (the page was opened some other way), a new room
 * is made and the address bar rewritten to it, so the link the user copies opens the same board.
 */
export function resolveRoom(location: Pick<Location, 'pathname' | 'search' | 'hash'>, history: Pick<History, 'replaceState'>): string {
  const room = roomFromPath(location.pathname);
  if (room !== null) return room;
  const fresh = newRoomName();
  history.replaceState(null, '', `${boardPath(fresh)}${location.search}${location.hash}`);
  return fresh;
}
