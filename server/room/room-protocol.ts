/**
 * A room's side of the connection protocol: decodes each client message, gates it (a view-only
 * connection's writes are dropped, malformed messages throw) and hands it to its owner: document
 * messages to the RoomDoc, awareness to the presence. Its invariant: a sync reply that may hold
 * unstored updates is sent only once they are stored (a client takes a reply as "stored", see
 * client/sync/offline-pending.ts).
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as authProtocol from 'y-protocols/auth';
import { ACCESS_ROLE, CLOSE_CODE, MESSAGE_TYPE, READ_ONLY_REASON, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts';
import type { Connection } from '../connection.ts';
import { ProtocolError } from '../errors.ts';
import type { RoomPresence } from '../room-presence.ts';
import type { Waiter } from './commit-pipeline.ts';
import type { RoomDoc } from './room-doc.ts';

export function encodeSyncMessage(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.auth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** Reads `read(decoder)`, turning lib0's decoding errors into a malformed-message ProtocolError. */
function decodeOrThrow<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ProtocolError(CLOSE_CODE.malformedMessage, `cannot decode ${what}`, { cause: error });
  }
}

export interface RoomProtocolOptions {
  doc: RoomDoc;
  presence: RoomPresence;
  /** Runs `fn` once every update applied so far is stored (the commit pipeline). */
  afterPersisted(fn: Waiter): void;
}

export class RoomProtocol {
  constructor(private readonly options: RoomProtocolOptions) {}

  /**
   * Greets a joining connection with our state vector (sync step 1) once everything in it is
   * written: a client takes that vector as what the server has stored, so sent before a pending
   * write it would claim edits a crash could still lose.
   */
  greet(conn: Connection): void {
    this.options.doc.applyWaiting();
    const step1 = encodeSyncMessage(SYNC_MESSAGE_TYPE.step1, this.options.doc.stateVector());
    this.options.afterPersisted((error) => {
      if (!error && conn.isOpen) conn.send(step1);
    });
  }

  /**
   * Handles one binary message from `conn`. Throws ProtocolError for anything malformed; the
   * caller closes that connection with the error's close code.
   */
  handleMessage(conn: Connection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decodeOrThrow('message type', () => decoding.readVarUint(decoder));
    switch (type) {
      case MESSAGE_TYPE.sync:
        this.handleSync(conn, decoder);
        break;
      case MESSAGE_TYPE.awareness: {
        const update = decodeOrThrow('awareness message', () => decoding.readVarUint8Array(decoder));
        this.options.presence.receive(conn, update);
        break;
      }
      case MESSAGE_TYPE.queryAwareness:
        this.options.presence.answerQuery(conn);
        break;
      case MESSAGE_TYPE.auth:
        // Auth messages flow server → client only; a client's is ignored, like the reference's.
        return;
      default:
        throw new ProtocolError(CLOSE_CODE.unknownMessageType, `unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) {
      throw new ProtocolError(CLOSE_CODE.malformedMessage, `message type ${type} has ${data.length - decoder.pos} trailing bytes`);
    }
  }

  private handleSync(conn: Connection, decoder: decoding.Decoder): void {
    const { doc } = this.options;
    const subType = decodeOrThrow('sync message type', () => decoding.readVarUint(decoder));
    const payload = decodeOrThrow('sync message', () => decoding.readVarUint8Array(decoder));
    // An empty state vector (a single varint 0) asks for everything: the whole document, which
    // RoomDoc keeps encoded (the stored snapshot while lazy, else cached until the next change).
    const asksForAll = subType === SYNC_MESSAGE_TYPE.step1 && payload.length === 1 && payload[0] === 0;
    if (doc.isLazy) {
      if (asksForAll) {
        doc.sendStoredSnapshot(conn, (snapshot) => encodeSyncMessage(SYNC_MESSAGE_TYPE.step2, snapshot));
        return;
      }
      // A client's own state (step 2) and its edits wait in `incoming` until the doc is built
      // (applyIncoming); anything else needs the doc now.
      const waits = (subType === SYNC_MESSAGE_TYPE.step2 || subType === SYNC_MESSAGE_TYPE.update) && conn.role !== ACCESS_ROLE.view;
      if (!waits) doc.materialize();
    }
    switch (subType) {
      case SYNC_MESSAGE_TYPE.step1: {
        // Edits that came before this request may wait for the pipeline's round: the answer must
        // hold them and wait for their write (clients probe with a step 1 to learn that their
        // edits are stored).
        doc.applyWaiting();
        let reply: Uint8Array;
        try {
          reply = encodeSyncMessage(SYNC_MESSAGE_TYPE.step2, asksForAll ? doc.encodedState() : Y.encodeStateAsUpdate(doc.doc, payload));
        } catch (error) {
          throw new ProtocolError(CLOSE_CODE.malformedMessage, 'invalid state vector', { cause: error });
        }
        // The reply may hold updates still being written: send it once they are stored.
        this.options.afterPersisted((error) => {
          if (!error) conn.send(reply);
        });
        break;
      }
      case SYNC_MESSAGE_TYPE.step2:
      case SYNC_MESSAGE_TYPE.update:
        if (conn.role === ACCESS_ROLE.view) {
          this.dropWrite(conn, subType, payload);
          break;
        }
        doc.receive(conn, payload, subType === SYNC_MESSAGE_TYPE.update);
        break;
      default:
        throw new ProtocolError(CLOSE_CODE.malformedMessage, `unknown sync message type ${subType}`);
    }
  }

  /**
   * A view-only connection's document write is dropped. The first one that would change
   * something earns it a permission-denied message. Every client sends a sync step 2 on connect,
   * so a step 2 holding nothing new is not a write; it is checked against the whole doc, which
   * costs what answering its step 1 costs. An update message is always an attempted edit.
   */
  private dropWrite(conn: Connection, subType: number, update: Uint8Array): void {
    if (conn.toldReadOnly) return;
    if (subType === SYNC_MESSAGE_TYPE.step2) {
      let known: boolean;
      try {
        known = Y.snapshotContainsUpdate(Y.snapshot(this.options.doc.doc), update);
      } catch (error) {
        throw new ProtocolError(CLOSE_CODE.invalidUpdate, 'update does not decode', { cause: error });
      }
      if (known) return;
    }
    conn.toldReadOnly = true;
    conn.log.info('dropping writes of a view-only connection');
    conn.send(encodePermissionDenied(READ_ONLY_REASON));
  }
}
