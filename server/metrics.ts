/**
 * Prometheus metrics of one server, in a Registry of its own: prom-client's global default
 * registry would mix up the figures of several servers in one process (the tests run many).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CLOSE_CODE, messageTypeName } from '../shared/protocol.ts';

/** What goes wrong, for `easel_errors_total{kind}`. */
export type ErrorKind = 'protocol' | 'limit' | 'access' | 'storage' | 'internal' | 'socket';

export interface ServerMetrics {
  readonly registry: Registry;
  messageIn(message: Uint8Array): void;
  messageOut(message: Uint8Array): void;
  /** One group-commit write of `updates` updates took `seconds`. */
  persisted(seconds: number, updates: number): void;
  compacted(): void;
  closed(code: number): void;
  error(kind: ErrorKind): void;
  /** The store answers (1) or not (0), as /healthz reports it. */
  storeUp(up: boolean): void;
  /** An asset upload ended: 'stored', 'exists' (the room had it), or the code it was refused with. */
  assetUpload(result: string): void;
  /** Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsSources {
  connections(): number;
  rooms(): number;
}

/** Close codes we label by number; anything else a client sends is "other" (bounded labels). */
const KNOWN_CLOSE_CODES = new Set<number>([...Object.values(CLOSE_CODE), 1005, 1006, 1007, 1008, 1010]);

/** The y-websocket message type of a raw message (its first varint: every type is one byte). */
function typeLabel(message: Uint8Array): string {
  const first = message[0];
  return first === undefined || first > 0x7f ? 'unknown' : messageTypeName(first);
}

export function createMetrics(sources: MetricsSources): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({ name: 'easel_connections', help: 'Open sync connections (joined or joining).', registers, collect() { this.set(sources.connections()); } });
  new Gauge({ name: 'easel_rooms_loaded', help: 'Rooms held in memory.', registers, collect() { this.set(sources.rooms()); } });
  new Gauge({
    name: 'easel_heap_used_bytes',
    help: 'V8 heap in use.',
    registers,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  const messagesIn = new Counter({ name: 'easel_messages_received_total', help: 'Messages received, by type.', labelNames: ['type'], registers });
  const bytesIn = new Counter({ name: 'easel_bytes_received_total', help: 'Message bytes received, by type.', labelNames: ['type'], registers });
  const messagesOut = new Counter({ name: 'easel_messages_sent_total', help: 'Messages sent, by type.', labelNames: ['type'], registers });
  const bytesOut = new Counter({ name: 'easel_bytes_sent_total', help: 'Message bytes sent, by type.', labelNames: ['type'], registers });
  const batchSeconds = new Histogram({
    name: 'easel_persistence_batch_seconds',
    help: 'Time to write one group-commit batch to the store.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const batchUpdates = new Counter({ name: 'easel_persisted_updates_total', help: 'Client updates written to the store.', registers });
  const compactions = new Counter({ name: 'easel_compactions_total', help: 'Room log compactions.', registers });
  const closes = new Counter({ name: 'easel_connection_closes_total', help: 'Closed sync connections, by close code.', labelNames: ['code'], registers });
  const errors = new Counter({ name: 'easel_errors_total', help: 'Errors, by kind.', labelNames: ['kind'], registers });
  const storeUp = new Gauge({ name: 'easel_store_up', help: 'Whether the store answers now (1) or not (0), as /healthz reports it.', registers });
  storeUp.set(1);
  const assetUploads = new Counter({ name: 'easel_asset_uploads_total', help: 'Asset (image file) uploads, by result: stored, exists, or the error code.', labelNames: ['result'], registers });
  const storeDown = new Counter({ name: 'easel_store_unhealthy_total', help: 'Times the store became unhealthy (failed or stopped answering).', registers });

  return {
    registry,
    contentType: registry.contentType,
    messageIn(message) {
      const type = typeLabel(message);
      messagesIn.inc({ type });
      bytesIn.inc({ type }, message.byteLength);
    },
    messageOut(message) {
      const type = typeLabel(message);
      messagesOut.inc({ type });
      bytesOut.inc({ type }, message.byteLength);
    },
    persisted(seconds, updates) {
      batchSeconds.observe(seconds);
      batchUpdates.inc(updates);
    },
    compacted() {
      compactions.inc();
    },
    closed(code) {
      closes.inc({ code: KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other' });
    },
    error(kind) {
      errors.inc({ kind });
    },
    storeUp(up) {
      storeUp.set(up ? 1 : 0);
      if (!up) storeDown.inc();
    },
    assetUpload(result) {
      assetUploads.inc({ result });
    },
    render() {
      return registry.metrics();
    },
  };
}
