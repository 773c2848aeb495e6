import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTurnQueue } from '../../server/turn-queue.ts';

test('tasks run in order, each in its own turn, with other work in between', async () => {
  const queue = createTurnQueue();
  const events: string[] = [];
  // Three tasks queued in the same turn, as rooms whose unload timers fire together.
  const results = [1, 2, 3].map((n) =>
    queue.run(() => {
      events.push(`task ${n}`);
      // Work that becomes ready while a task runs must get its turn before the next task.
      setImmediate(() => events.push(`after task ${n}`));
      return n * 10;
    }),
  );
  assert.deepEqual(events, [], 'nothing runs in the caller\'s turn');
  assert.deepEqual(await Promise.all(results), [10, 20, 30]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(events, ['task 1', 'after task 1', 'task 2', 'after task 2', 'task 3', 'after task 3']);
});

test('a failing task fails its caller only; the queue goes on', async () => {
  const queue = createTurnQueue();
  const failing = queue.run(() => {
    throw new Error('encode failed');
  });
  const next = queue.run(() => 'still runs');
  await assert.rejects(failing, /encode failed/);
  assert.equal(await next, 'still runs');
});
