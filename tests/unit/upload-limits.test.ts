/**
 * The limits of the asset endpoints: the per-address byte rate (createAddressRate, on a manual
 * clock: what it admits, how long it says to wait, and that a full bucket is forgotten), and the
 * flags and variables that set the limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_ASSET_BYTES, DEFAULT_MAX_ROOM_ASSET_BYTES } from '../../shared/assets.ts';
import { parseConfig, USAGE } from '../../server/config.ts';
import { ConfigError } from '../../server/errors.ts';
import { createAddressRate, createConnectionRate } from '../../server/limits.ts';
import { DEFAULT_SERVER_OPTIONS } from '../../server/server.ts';

test('an address spends its burst, then waits as long as the rate says; another address has its own', () => {
  let now = 0;
  // 1000 bytes a second, 5000 at once.
  const rate = createAddressRate(1000, 5000, () => now);
  assert.equal(rate.take('a', 3000), 0);
  assert.equal(rate.take('a', 2000), 0);
  // Empty: 1500 bytes take 1.5 s to flow in, and nothing is taken meanwhile.
  assert.equal(rate.take('a', 1500), 1500);
  assert.equal(rate.take('a', 1500), 1500);
  assert.equal(rate.take('b', 5000), 0);
  now = 1500;
  assert.equal(rate.take('a', 1500), 0);
  // More than the bucket ever holds never passes.
  assert.equal(rate.take('a', 5001), Infinity);
});

test('a bucket full again is forgotten, so addresses that stopped uploading cost nothing', () => {
  let now = 0;
  const rate = createAddressRate(1000, 5000, () => now);
  for (let i = 0; i < 100; i++) assert.equal(rate.take(`10.0.0.${i}`, 4000), 0);
  assert.equal(rate.size, 100);
  // Five seconds refill any bucket; the sweep runs on the next take.
  now = 5000;
  assert.equal(rate.take('10.0.1.1', 1), 0);
  assert.equal(rate.size, 1);
});

test('a rate of 0 admits everything and keeps nothing; the connection rate counts one per connection as before', () => {
  const open = createAddressRate(0, 1);
  for (let i = 0; i < 10; i++) assert.equal(open.take('a', 1e9), 0);
  assert.equal(open.size, 0);
  let now = 0;
  const connections = createConnectionRate(1, 2, () => now);
  assert.equal(connections.admit('a'), true);
  assert.equal(connections.admit('a'), true);
  assert.equal(connections.admit('a'), false);
  now = 1000;
  assert.equal(connections.admit('a'), true);
});

test('the asset limits come from flags or variables, flag first, with the documented defaults', () => {
  const { options } = parseConfig(
    ['--max-asset-bytes', '2048', '--upload-bytes-per-ip', '0'],
    { MAX_ASSET_BYTES: '4096', MAX_ROOM_ASSET_BYTES: '0', UPLOAD_BURST_BYTES_PER_IP: '65536' },
  );
  assert.deepEqual(
    { maxAssetBytes: options.maxAssetBytes, maxRoomAssetBytes: options.maxRoomAssetBytes, uploadBytesPerIp: options.uploadBytesPerIp, uploadBurstBytesPerIp: options.uploadBurstBytesPerIp },
    { maxAssetBytes: 2048, maxRoomAssetBytes: 0, uploadBytesPerIp: 0, uploadBurstBytesPerIp: 65536 },
  );
  assert.equal(DEFAULT_SERVER_OPTIONS.maxAssetBytes, DEFAULT_MAX_ASSET_BYTES);
  assert.equal(DEFAULT_SERVER_OPTIONS.maxRoomAssetBytes, DEFAULT_MAX_ROOM_ASSET_BYTES);
  for (const flag of ['--max-asset-bytes', '--max-room-asset-bytes', '--upload-bytes-per-ip', '--upload-burst-bytes-per-ip']) assert.match(USAGE, new RegExp(flag));
  assert.throws(() => parseConfig(['--max-asset-bytes', '10'], {}), ConfigError);
  assert.throws(() => parseConfig([], { UPLOAD_BYTES_PER_IP: 'lots' }), /UPLOAD_BYTES_PER_IP must be a whole number/);
});
