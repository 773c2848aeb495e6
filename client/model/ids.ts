import { isValidShapeId } from '../../shared/schema.ts';

/**
 * A random id for a new shape. `crypto.randomUUID` only exists in secure contexts, and a
 * self-hosted board is often opened over plain http on a LAN, so fall back to getRandomValues.
 */
export function newShapeId(): string {
  const raw = typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : randomHex(16);
  const id = raw.replace(/[^A-Za-z0-9_-]/g, '');
  if (!isValidShapeId(id)) throw new Error(`generated shape id ${JSON.stringify(id)} is not valid`);
  return id;
}

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}
