/** When one room's versions are taken: the capture policy driven by a manual clock, no sleeps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VersionReason } from '../../shared/api.ts';
import { createCapturePolicy, type CapturePolicy } from '../../server/history/capture-policy.ts';
import { createManualClock, type ManualClock } from '../helpers/manual-clock.ts';

const INTERVAL = 5 * 60_000;
const START = 1_700_000_000_000;

interface Taken {
  reason: VersionReason;
  editors: string[];
  /** Ms since START. */
  at: number;
}

interface Harness {
  policy: CapturePolicy<number>;
  clock: ManualClock;
  taken: Taken[];
  failures: Array<{ error: unknown; reason: VersionReason }>;
  /** The next captures fail with this error (consumed one per capture). */
  failNext(count: number): void;
}

function harness(options: { capture?: (reason: VersionReason, editors: string[]) => Promise<number> } = {}): Harness {
  const clock = createManualClock(START);
  const taken: Taken[] = [];
  const failures: Harness['failures'] = [];
  let failing = 0;
  const policy = createCapturePolicy<number>({
    intervalMs: INTERVAL,
    clock,
    capture:
      options.capture ??
      (async (reason, editors) => {
        if (failing > 0) {
          failing--;
          throw new Error('store down');
        }
        taken.push({ reason, editors, at: clock.now() - START });
        return taken.length;
      }),
    onFailure: (error, reason) => failures.push({ error, reason }),
  });
  return { policy, clock, taken, failures, failNext: (count) => (failing = count) };
}

test('a changed room gets a version one interval after its first change, with who edited', async () => {
  const { policy, clock, taken } = harness();
  policy.edited('Ada');
  clock.advance(60_000);
  policy.edited('Bob');
  policy.edited('Ada');
  policy.edited('');
  clock.advance(INTERVAL - 60_000 - 1);
  await policy.settled();
  assert.deepEqual(taken, []);
  clock.advance(1);
  await policy.settled();
  assert.deepEqual(taken, [{ reason: 'interval', editors: ['Ada', 'Bob'], at: INTERVAL }]);
  // Nothing changed since: no more versions, however long.
  clock.advance(10 * INTERVAL);
  await policy.settled();
  assert.equal(taken.length, 1);
});

test('a room that keeps changing gets a version at most every interval', async () => {
  const { policy, clock, taken } = harness();
  for (let second = 0; second < 3600; second += 10) {
    policy.edited(second % 20 === 0 ? 'Ada' : 'Bob');
    clock.advance(10_000);
    await policy.settled();
  }
  // An edit every 10 s for an hour: one version each 5 minutes, the last as the hour ends.
  assert.equal(taken.length, 12);
  for (let i = 1; i < taken.length; i++) assert.ok(taken[i]!.at - taken[i - 1]!.at >= INTERVAL);
  for (const version of taken) {
    assert.equal(version.reason, 'interval');
    assert.deepEqual([...version.editors].sort(), ['Ada', 'Bob']);
  }
});

test('the last editor leaving takes a version at once if the room changed, and only then', async () => {
  const { policy, clock, taken } = harness();
  policy.idle();
  await policy.settled();
  assert.deepEqual(taken, []);
  policy.edited('Ada');
  clock.advance(1_000);
  policy.idle();
  await policy.settled();
  assert.deepEqual(taken, [{ reason: 'idle', editors: ['Ada'], at: 1_000 }]);
  // Its interval timer went with it.
  clock.advance(2 * INTERVAL);
  policy.idle();
  await policy.settled();
  assert.equal(taken.length, 1);
});

test('captureNow always takes a version, and answers it', async () => {
  const { policy, clock, taken } = harness();
  assert.equal(await policy.captureNow('restore'), 1);
  assert.deepEqual(taken, [{ reason: 'restore', editors: [], at: 0 }]);
  policy.edited('Ada');
  assert.equal(await policy.captureNow('import'), 2);
  assert.deepEqual(taken[1], { reason: 'import', editors: ['Ada'], at: 0 });
  // The changes went into that version: the interval takes none for them.
  clock.advance(2 * INTERVAL);
  await policy.settled();
  assert.equal(taken.length, 2);
});

test('a failed capture is reported once and retried at the next trigger with its editors', async () => {
  const { policy, clock, taken, failures, failNext } = harness();
  failNext(1);
  policy.edited('Ada');
  clock.advance(INTERVAL);
  await policy.settled();
  assert.deepEqual(taken, []);
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.reason, 'interval');
  assert.match(String(failures[0]!.error), /store down/);
  // No retry on its own.
  clock.advance(10 * INTERVAL);
  await policy.settled();
  assert.deepEqual(taken, []);
  // The next edit's interval retries it, editors of the failed one first.
  policy.edited('Bob');
  clock.advance(INTERVAL);
  await policy.settled();
  assert.deepEqual(taken, [{ reason: 'interval', editors: ['Ada', 'Bob'], at: 12 * INTERVAL }]);
  assert.equal(failures.length, 1);

  // A leave retries too.
  failNext(1);
  policy.edited('Cy');
  policy.idle();
  await policy.settled();
  assert.equal(failures.length, 2);
  policy.idle();
  await policy.settled();
  assert.deepEqual(taken.at(-1), { reason: 'idle', editors: ['Cy'], at: 12 * INTERVAL });
});

test('a forced capture that fails rejects to its caller, not to onFailure, and keeps the editors', async () => {
  const { policy, taken, failures, failNext } = harness();
  policy.edited('Ada');
  failNext(1);
  await assert.rejects(policy.captureNow('restore'), /store down/);
  assert.deepEqual(failures, []);
  policy.idle();
  await policy.settled();
  assert.deepEqual(taken, [{ reason: 'idle', editors: ['Ada'], at: 0 }]);
});

test('captures run one at a time, and edits during one count for the next', async () => {
  const order: string[] = [];
  const releases: Array<() => void> = [];
  const { policy } = harness({
    capture: (reason, editors) => {
      order.push(`start ${reason} ${editors.join(',')}`);
      return new Promise<number>((resolve) => {
        releases.push(() => {
          order.push(`end ${reason}`);
          resolve(order.length);
        });
      });
    },
  });
  policy.edited('Ada');
  policy.idle();
  const restore = policy.captureNow('restore');
  await Promise.resolve();
  await Promise.resolve();
  policy.edited('Bob');
  assert.deepEqual(order, ['start idle Ada']);
  releases.shift()!();
  // The restore starts only once the idle capture ended.
  while (releases.length === 0) await Promise.resolve();
  assert.deepEqual(order, ['start idle Ada', 'end idle', 'start restore Bob']);
  releases.shift()!();
  await restore;
  const closing = policy.close();
  await closing;
  policy.edited('Cy');
  policy.idle();
  assert.equal(releases.length, 0);
  await assert.rejects(policy.captureNow('manual'), { code: 'history_closed' });
});
