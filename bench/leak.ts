/**
 * Leak soak: 1000 connect/disconnect cycles over 100 rooms against a real server (LevelDB in a
 * temp dir), printing heap and RSS before and after and what the server still holds.
 *
 *   npx tsx bench/leak.ts [--cycles 1000] [--rooms 100] [--concurrency 8]
 */
import { parseArgs } from 'node:util';
import { startTestServer } from '../tests/helpers/server.ts';
import { heapUsed, soak, waitForEmpty } from '../tests/helpers/soak.ts';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    rooms: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
  },
});
const cycles = Number(values.cycles);
const rooms = Number(values.rooms);
const concurrency = Number(values.concurrency);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const server = await startTestServer({ unloadDelayMs: 50 });
try {
  await soak({ syncUrl: server.syncUrl, cycles: 100, rooms, concurrency });
  await waitForEmpty(server.server);
  const heapBefore = heapUsed();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  await soak({ syncUrl: server.syncUrl, cycles, rooms, concurrency });
  const seconds = (performance.now() - started) / 1000;
  await waitForEmpty(server.server);
  const heapAfter = heapUsed();
  const rssAfter = process.memoryUsage().rss;
  const stats = server.server.stats();
  console.log(`leak soak: ${cycles} cycles over ${rooms} rooms, ${concurrency} at a time, in ${seconds.toFixed(1)} s (${(cycles / seconds).toFixed(0)} cycles/s)`);
  console.log(`heap after GC: ${mib(heapBefore)} -> ${mib(heapAfter)} (${heapAfter >= heapBefore ? '+' : ''}${mib(heapAfter - heapBefore)}, ${((heapAfter - heapBefore) / cycles).toFixed(0)} B/cycle)`);
  console.log(`rss: ${mib(rssBefore)} -> ${mib(rssAfter)}`);
  console.log(`held afterwards: ${stats.rooms} rooms, ${stats.connections} connections, ${stats.sockets} sockets, ${stats.addresses} addresses`);
} finally {
  await server.close();
}
