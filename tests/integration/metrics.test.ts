/**
 * Observability: GET /metrics in Prometheus text format from a per-server registry (two servers in
 * one process keep their own figures), and JSON logs that carry room and connection ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectClient, poll, waitFor } from '../helpers/client.ts';
import { WireClient } from '../helpers/wire.ts';
import { CLOSE_CODE, PATHS } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

/** The value of one sample line (`name{labels} value`), or null if it is absent. */
function sample(text: string, series: string): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return null;
}

async function scrape(server: TestServer): Promise<string> {
  const res = await fetch(`${server.httpUrl}${PATHS.metrics}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text();
}

test('metrics count connections, rooms, messages, persistence, compactions, closes and errors', async () => {
  const server = await startTestServer({ compactAfterUpdates: 5 });
  const other = await startTestServer();
  const a = connectClient(server.syncUrl, 'metrics');
  const b = connectClient(server.syncUrl, 'metrics');
  try {
    await Promise.all([a.synced, b.synced]);
    for (let i = 0; i < 8; i++) {
      a.doc.transact(() => a.doc.getMap('m').set(`k${i}`, i), LOCAL_ORIGIN);
      await waitFor(() => b.doc.getMap('m').get(`k${i}`) === i, { doc: b.doc }, `B sees k${i}`);
    }
    a.provider.awareness.setLocalStateField('user', { name: 'a', color: '#ff0000' });
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), { awareness: b.provider.awareness }, 'presence');
    const bad = new WireClient(`${server.syncUrl}/metrics`);
    await bad.opened;
    bad.send(new Uint8Array([9]));
    assert.equal((await bad.closed).code, CLOSE_CODE.unknownMessageType);

    let text = '';
    await poll(async () => {
      text = await scrape(server);
      // Compaction waits until the room has been idle for a moment.
      return sample(text, 'easel_connection_closes_total{code="4001"}') === 1 && sample(text, 'easel_compactions_total')! >= 1;
    }, 'the close and the compaction are counted');
    assert.equal(sample(text, 'easel_connections'), 2);
    assert.equal(sample(text, 'easel_rooms_loaded'), 1);
    assert.ok(sample(text, 'easel_messages_received_total{type="sync"}')! >= 10);
    assert.ok(sample(text, 'easel_messages_received_total{type="awareness"}')! >= 1);
    assert.equal(sample(text, 'easel_messages_received_total{type="unknown"}'), 1);
    assert.ok(sample(text, 'easel_bytes_received_total{type="sync"}')! > 0);
    assert.ok(sample(text, 'easel_messages_sent_total{type="sync"}')! >= 8, 'each update relayed to B');
    assert.ok(sample(text, 'easel_bytes_sent_total{type="awareness"}')! > 0);
    assert.ok(sample(text, 'easel_persistence_batch_seconds_count')! >= 1);
    assert.ok(sample(text, 'easel_persisted_updates_total')! >= 8);
    assert.ok(sample(text, 'easel_compactions_total')! >= 1);
    assert.equal(sample(text, 'easel_errors_total{kind="protocol"}'), 1);
    assert.match(text, /# TYPE easel_persistence_batch_seconds histogram/);

    // The other server in this process has figures of its own.
    const otherText = await scrape(other);
    assert.equal(sample(otherText, 'easel_connections'), 0);
    assert.equal(sample(otherText, 'easel_persisted_updates_total'), 0);
  } finally {
    a.destroy();
    b.destroy();
    await server.close();
    await other.close();
  }
});

test('logs are JSON lines with the room and connection id', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const server = await startTestServer({ logger: pino({ level: 'debug' }, sink) });
  try {
    const bad = new WireClient(`${server.syncUrl}/logged`);
    await bad.opened;
    bad.send(new Uint8Array([9]));
    await bad.closed;
    await poll(() => lines.some((l) => l.msg === 'closing connection: bad message'), 'the bad message is logged');
    const entry = lines.find((l) => l.msg === 'closing connection: bad message')!;
    assert.equal(entry.room, 'logged');
    assert.match(String(entry.conn), /^[0-9a-f]{8}$/);
    assert.equal(entry.closeCode, CLOSE_CODE.unknownMessageType);
    assert.equal(entry.level, 40);
  } finally {
    await server.close();
  }
});
