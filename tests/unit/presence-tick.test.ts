/**
 * A busy room's presence tick: one frame per peer per tick, the tick one base tick per started
 * hundred people, so a class of 200 gets presence every 32 ms and a room of ten every 16 ms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PresenceBatcher, type PresencePeer } from '../../server/presence-batcher.ts';
import { roomTickMs } from '../../server/tick.ts';

test('the tick is one base tick per started hundred people', () => {
  assert.deepEqual([1, 100, 101, 200, 201, 300].map((n) => roomTickMs(16, n)), [16, 16, 32, 32, 48, 48]);
  assert.equal(roomTickMs(0, 500), 0, 'no tick stays no tick');
});

/** Flushes one peer sees while a client moves every 2 ms for `ms`, in a room of `people`. */
async function flushesFor(people: number, ms: number): Promise<number> {
  let frames = 0;
  const peer: PresencePeer = { isOpen: true, bufferedAmount: 0, send: () => void (frames += 1) };
  const batcher = new PresenceBatcher({ tickMs: 16, slowPeerBytes: 1 << 20, peers: () => [peer], peerCount: () => people, encode: () => new Uint8Array([0]) });
  const started = performance.now();
  try {
    while (performance.now() - started < ms) {
      batcher.changedEntries([1], true);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    batcher.close();
  }
  return frames;
}

test('a class of 200 gets a presence frame at most every 32 ms, a small room every 16 ms', async () => {
  const ms = 640;
  const large = await flushesFor(200, ms);
  const small = await flushesFor(10, ms);
  // Timers run late on a busy machine, never early: these bounds hold however loaded it is.
  assert.ok(large <= ms / 32 + 2, `${large} frames in ${ms} ms for 200 people`);
  assert.ok(small > ms / 32 + 2, `${small} frames in ${ms} ms for 10 people: more than a large room's ticks allow`);
});
