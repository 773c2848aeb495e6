/**
 * How a busy room's presence tick stretches with its size. Each tick sends every peer one frame
 * holding everyone who moved, so a room of N people costs N frames a tick, and past a hundred
 * people those frames, not the states in them, are what the server and every client spend their
 * time on. So the tick is one base tick per started hundred people: a class of 200 gets presence
 * every 32 ms (30 a second, the rate cursors are published at) instead of 16. A delivered state
 * is no older for it (a tick sends the newest state of each mover); a peer just sees fewer of the
 * positions in between. Document updates are not stretched: each one is delivered, so a longer
 * tick would add to every update's delay (measured: the classroom's update p50 27 ms instead of
 * 16-22 at 200).
 */
export const PEERS_PER_TICK = 100;

/** The presence tick of a room of `peers` people whose base tick is `baseMs` (0 stays 0). */
export function roomTickMs(baseMs: number, peers: number): number {
  return baseMs * Math.max(1, Math.ceil(peers / PEERS_PER_TICK));
}
