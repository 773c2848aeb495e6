import { cleanName, isPresenceColor, type PresenceUser } from '../../shared/presence.ts';
import { createEmitter } from '../model/emitter.ts';

/**
 * Who the local user is to the others: a friendly random name and colour picked at the first
 * visit, kept in localStorage so the same browser is the same person on every board.
 */
export interface Identity {
  readonly user: PresenceUser;
  /** Changes the name (cleaned; an empty one becomes "Anonymous") and remembers it. */
  rename(name: string): void;
  onChange(listener: (user: PresenceUser) => void): () => void;
  close(): void;
}

export const IDENTITY_STORAGE_KEY = 'easel-user';

const ADJECTIVES = ['Amber', 'Brave', 'Calm', 'Clever', 'Curious', 'Eager', 'Gentle', 'Happy', 'Jolly', 'Kind', 'Lively', 'Lucky', 'Merry', 'Nimble', 'Quiet', 'Swift', 'Sunny', 'Witty'];
const ANIMALS = ['Badger', 'Crane', 'Dolphin', 'Falcon', 'Fox', 'Heron', 'Koala', 'Lynx', 'Otter', 'Owl', 'Panda', 'Puffin', 'Robin', 'Seal', 'Tiger', 'Turtle', 'Walrus', 'Wren'];
/** Saturated enough to read on the light board, distinct from the local selection blue. */
export const PRESENCE_COLORS = ['#e5484d', '#f76b15', '#d6a100', '#30a46c', '#12a594', '#0090ff', '#8e4ec6', '#d6409f', '#ad7f58', '#3e63dd', '#7c66dc', '#46a758'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
}

/** A random friendly name and colour. */
export function randomUser(random: () => number): PresenceUser {
  return { name: `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)}`, color: pick(PRESENCE_COLORS, random) };
}

/** The stored user, or null if there is none or it does not pass the same checks as presence. */
export function readStoredUser(text: string | null): PresenceUser | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { name?: unknown; color?: unknown } | null;
    if (typeof value?.name !== 'string' || typeof value.color !== 'string' || !isPresenceColor(value.color)) return null;
    return { name: cleanName(value.name), color: value.color };
  } catch {
    return null;
  }
}

export function createIdentity(options: { storage: Pick<Storage, 'getItem' | 'setItem'> | null; random?: () => number }): Identity {
  const { storage } = options;
  const save = (next: PresenceUser): void => {
    try {
      storage?.setItem(IDENTITY_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage blocked: the name lasts for this page only.
    }
  };
  let stored: PresenceUser | null = null;
  try {
    stored = readStoredUser(storage?.getItem(IDENTITY_STORAGE_KEY) ?? null);
  } catch {
    stored = null;
  }
  let user = stored ?? randomUser(options.random ?? Math.random);
  if (stored === null) save(user);
  const changes = createEmitter<PresenceUser>();
  return {
    get user() {
      return user;
    },
    rename(name) {
      const next = { ...user, name: cleanName(name) };
      if (next.name === user.name) return;
      user = next;
      save(user);
      changes.emit(user);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}
