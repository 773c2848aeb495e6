/**
 * What a socket sends before its room has loaded, kept to be handled in order once it has.
 *
 * A client does not wait for the server: it sends its sync step 1 and step 2 and its presence at
 * once, then an awareness message for every cursor move. A load that takes seconds (a large
 * board, a slow store) must not turn a moving cursor into a refusal, so presence is merged as it
 * comes: only the newest state of each client id is kept (a later clock replaces an earlier one,
 * which is all applying them in order would do, as nobody saw the states in between), and
 * repeated awareness queries count once. Document messages are kept as sent, and they are what
 * the caps count: `maxMessages` of them, `maxBytes` in all, presence included.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPE } from '../shared/protocol.ts';
import { encodeAwarenessMessage } from './presence-batcher.ts';

/** One client's presence entry as an awareness update carries it. */
interface PresenceEntry {
  clock: number;
  /** The state as JSON ('null' when the client left). */
  json: string;
}

/** Per-entry overhead counted beside the JSON: the varints of client id and clock. */
const ENTRY_OVERHEAD_BYTES = 16;

/** The entries of an awareness message, or null if it does not decode as one (kept as sent). */
function readAwareness(bytes: Uint8Array): Array<[number, PresenceEntry]> | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.awareness) return null;
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    if (decoding.hasContent(decoder)) return null;
    const entries: Array<[number, PresenceEntry]> = [];
    const count = decoding.readVarUint(update);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(update);
      const clock = decoding.readVarUint(update);
      entries.push([clientId, { clock, json: decoding.readVarString(update) }]);
    }
    if (decoding.hasContent(update)) return null;
    return entries;
  } catch {
    return null;
  }
}

function isQueryAwareness(bytes: Uint8Array): boolean {
  return bytes.length === 1 && bytes[0] === MESSAGE_TYPE.queryAwareness;
}

export class EarlyMessages {
  private readonly messages: Uint8Array[] = [];
  private readonly presence = new Map<number, PresenceEntry>();
  private queried = false;
  private messageBytes = 0;
  private presenceBytes = 0;

  constructor(
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  /** Keeps `bytes`; false once the caps are passed (the socket is to be closed). */
  push(bytes: Uint8Array): boolean {
    if (isQueryAwareness(bytes)) {
      this.queried = true;
      return true;
    }
    const entries = readAwareness(bytes);
    if (entries === null) {
      this.messages.push(bytes);
      this.messageBytes += bytes.byteLength;
    } else {
      for (const [clientId, entry] of entries) this.mergePresence(clientId, entry);
    }
    return this.messages.length <= this.maxMessages && this.messageBytes + this.presenceBytes <= this.maxBytes;
  }

  /** Document messages kept so far, for the log. */
  get count(): number {
    return this.messages.length;
  }

  get bytes(): number {
    return this.messageBytes + this.presenceBytes;
  }

  /** Everything kept, in an order the room can handle; empties the buffer. */
  drain(): Uint8Array[] {
    const out = this.messages.splice(0);
    if (this.presence.size > 0) out.push(this.encodePresence());
    if (this.queried) out.push(new Uint8Array([MESSAGE_TYPE.queryAwareness]));
    this.presence.clear();
    this.queried = false;
    this.messageBytes = 0;
    this.presenceBytes = 0;
    return out;
  }

  /** Keeps the newer of two states of one client, as applying both in turn would. */
  private mergePresence(clientId: number, entry: PresenceEntry): void {
    const kept = this.presence.get(clientId);
    if (kept && (kept.clock > entry.clock || (kept.clock === entry.clock && entry.json !== 'null'))) return;
    this.presenceBytes += entry.json.length - (kept ? kept.json.length : -ENTRY_OVERHEAD_BYTES);
    this.presence.set(clientId, entry);
  }

  private encodePresence(): Uint8Array {
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, this.presence.size);
    for (const [clientId, { clock, json }] of this.presence) {
      encoding.writeVarUint(update, clientId);
      encoding.writeVarUint(update, clock);
      encoding.writeVarString(update, json);
    }
    return encodeAwarenessMessage(encoding.toUint8Array(update));
  }
}
