/**
 * The fan-out of a single process: every client of a room is connected to this process, so there
 * is nothing to follow and nobody to tell.
 */
import type { Fanout, RoomChannel } from './fanout.ts';

const NO_CHANNEL: RoomChannel = Object.freeze({ follow() {}, close() {} });

export function createLocalFanout(): Fanout {
  return {
    shared: false,
    join: () => NO_CHANNEL,
    async close() {},
  };
}
