/**
 * When a scale-out process reads a room's log back (server/fanout/redis-membership.ts): the transitions
 * between solo and shared, driven by registration results and what the follower reads, including
 * the orders of events in which a careless rule would skip another process's entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareIds, RoomFollowState } from '../../server/fanout/redis-membership.ts';

const solo = () => new RoomFollowState({ logId: '100-0', awId: '5-0', others: 0, epoch: '50-0' });

test('stream ids compare by time, then sequence', () => {
  assert.ok(compareIds('100-1', '100-0') > 0);
  assert.ok(compareIds('99-9', '100-0') < 0);
  assert.equal(compareIds('7-3', '7-3'), 0);
  assert.ok(compareIds('1000-0', '999-5') > 0, 'numerically, not as text');
});

test('a room loaded with another process there is shared from the start', () => {
  assert.equal(new RoomFollowState({ logId: '0-0', awId: '0-0', others: 1, epoch: '1-0' }).shared, true);
  assert.equal(solo().shared, false);
});

test('alone, each append moves the safe position to the entry it wrote', () => {
  const state = solo();
  assert.equal(state.registered(0, '50-0', '120-0'), false);
  assert.equal(state.logId, '120-0');
  assert.equal(state.registered(0, '50-0'), false, 'a heartbeat alone changes nothing');
  assert.equal(state.logId, '120-0');
  assert.equal(state.shared, false);
});

test('an append that meets another process makes the room shared from the last safe position', () => {
  const state = solo();
  assert.equal(state.registered(1, '110-0', '120-0'), true);
  assert.equal(state.shared, true);
  assert.equal(state.logId, '100-0', 'entries after the safe position are read, the other process\'s among them');
});

test('an append alone but at a new epoch (someone came and went) reads back up to it, then is solo again', () => {
  const state = solo();
  assert.equal(state.registered(0, '110-0', '130-0'), true);
  assert.equal(state.logId, '100-0');
  state.readLog('115-0');
  assert.equal(state.shared, true, 'not yet read up to its own append');
  state.readLog('130-0');
  assert.equal(state.shared, false);
  assert.equal(state.registered(0, '110-0', '140-0'), false, 'the new epoch is now the solo one');
  assert.equal(state.logId, '140-0');
});

test('a join notice newer than the solo epoch makes the room shared; an older one does not', () => {
  const state = solo();
  assert.equal(state.joined('40-0'), false);
  assert.equal(state.shared, false);
  assert.equal(state.joined('60-0'), true);
  assert.equal(state.shared, true);
  assert.equal(state.logId, '100-0');
});

test('shared to solo waits for the log to be read up to the solo append, whichever comes first', () => {
  const state = new RoomFollowState({ logId: '100-0', awId: '0-0', others: 1, epoch: '90-0' });
  state.registered(0, '90-0', '150-0');
  assert.equal(state.shared, true);
  state.readLog('150-0');
  assert.equal(state.shared, false);

  const late = new RoomFollowState({ logId: '100-0', awId: '0-0', others: 1, epoch: '90-0' });
  late.readLog('160-0');
  late.registered(0, '90-0', '150-0');
  assert.equal(late.shared, false, 'the follower had already read past it');
});

test('a join seen after a solo append, even before its result arrives, keeps the room shared', () => {
  // The append saw nobody at epoch 90; then another process joined (notice 170) and the follower
  // read that notice before the append's reply came back. Going solo would miss the newcomer.
  const state = new RoomFollowState({ logId: '100-0', awId: '0-0', others: 1, epoch: '90-0' });
  state.joined('170-0');
  state.registered(0, '90-0', '150-0');
  state.readLog('180-0');
  assert.equal(state.shared, true);
});

test('another process appearing while a solo append is pending cancels it', () => {
  const state = new RoomFollowState({ logId: '100-0', awId: '0-0', others: 1, epoch: '90-0' });
  state.registered(0, '90-0', '150-0');
  state.registered(1, '160-0', '155-0');
  state.readLog('160-0');
  assert.equal(state.shared, true);
});
