/**
 * The per-address limits and a class behind one NAT address: with the defaults, 200 people from
 * one address all join; an address opening connections faster than its rate (once its burst is
 * spent) is refused with 4032, and gets in again once its bucket has refilled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { parseConfig } from '../../server/config.ts';
import { CLOSE_CODE, MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import { startTestServer } from '../helpers/server.ts';
import { poll } from '../helpers/client.ts';
import { syncStep1, WireClient } from '../helpers/wire.ts';

test('the flags and their variables set the connection rate and burst', () => {
  assert.equal(parseConfig(['--connection-rate-per-ip', '5'], {}).options.connectionRatePerIp, 5);
  assert.equal(parseConfig([], { CONNECTION_RATE_PER_IP: '0' }).options.connectionRatePerIp, 0);
  assert.equal(parseConfig(['--connection-burst-per-ip', '300'], {}).options.connectionBurstPerIp, 300);
  assert.equal(parseConfig([], { CONNECTION_BURST_PER_IP: '40' }).options.connectionBurstPerIp, 40);
  assert.throws(() => parseConfig(['--connection-burst-per-ip', '0'], {}), /connection-burst-per-ip/);
  assert.equal(parseConfig(['--presence-tick-ms', '20'], {}).options.presenceTickMs, 20);
});

test('a class of 200 behind one address joins one room with the default limits', async () => {
  const server = await startTestServer();
  const url = `${server.syncUrl}/class`;
  const clients = Array.from({ length: 200 }, () => new WireClient(url));
  try {
    await Promise.all(
      clients.map(async (client) => {
        await client.opened;
        client.send(syncStep1(new Y.Doc()));
        await client.next((m) => m.type === MESSAGE_TYPE.sync && m.subType === SYNC_MESSAGE_TYPE.step2, 'joined', 30_000);
      }),
    );
    assert.equal(server.server.stats().connections, 200);
  } finally {
    for (const client of clients) client.close();
    await poll(() => server.server.stats().sockets === 0, 'everyone gone');
    await server.close();
  }
});

test('an address that opens connections faster than its rate is refused with 4032, until its bucket refills', async () => {
  const server = await startTestServer({ connectionRatePerIp: 2, connectionBurstPerIp: 5, trustProxy: true });
  const from = (address: string): WireClient => new WireClient(`${server.syncUrl}/flood`, { headers: { 'x-forwarded-for': address } });
  const open: WireClient[] = [];
  try {
    const burst = Array.from({ length: 5 }, () => from('203.0.113.7'));
    open.push(...burst);
    await Promise.all(burst.map((client) => client.opened));
    const over = from('203.0.113.7');
    assert.equal((await over.closed).code, CLOSE_CODE.connectionRateLimited);

    // Another address is not held back by this one.
    const neighbour = from('198.51.100.1');
    open.push(neighbour);
    await neighbour.opened;

    // Closing does not give tokens back: the rate counts connections opened, not open.
    for (const client of burst) client.close();
    assert.equal((await from('203.0.113.7').closed).code, CLOSE_CODE.connectionRateLimited);

    // 2 a second: a new token within 500 ms.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const later = from('203.0.113.7');
    open.push(later);
    await later.opened;
  } finally {
    for (const client of open) client.close();
    await server.close();
  }
});
