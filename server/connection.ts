/**
 * One client socket in one room. It owns the socket's lifecycle: sends stop once the socket is
 * closing, close is idempotent, and the awareness client ids that arrived on this socket are
 * kept so the room can mark them gone when it closes.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import { closeCodeName, type AccessRole } from '../shared/protocol.ts';
import type { ServerMetrics } from './metrics.ts';

export class Connection {
  /** Awareness client ids this socket has announced; removed from the room on close. */
  readonly awarenessIds = new Set<number>();
  /** False once a ping went unanswered; the next ping round drops the socket. */
  alive = true;
  /** A view-only connection is told once that its writes are dropped. */
  toldReadOnly = false;
  /** The code the server closed this connection with; null if the peer closed it first. */
  closeCode: number | null = null;
  private closed = false;

  constructor(
    readonly id: string,
    readonly room: string,
    private readonly socket: WebSocket,
    /** The upgraded TCP (or TLS) stream under `socket`, for sendAll's corking. */
    private readonly stream: Pick<Duplex, 'cork' | 'uncork'>,
    readonly log: Logger,
    /** What the connection's token allows; `edit` when the server has no auth secret. */
    readonly role: AccessRole,
    private readonly metrics: Pick<ServerMetrics, 'messageOut'>,
  ) {}

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  /** Bytes queued on this socket and not yet handed to the OS: how far behind the peer is. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /**
   * Sends a binary message; a no-op once the socket is closing (never throws). `done` runs once
   * the message has been handed to the OS, or has failed, or at once if nothing was sent.
   */
  send(message: Uint8Array, done?: () => void): void {
    if (!this.isOpen) {
      done?.();
      return;
    }
    this.metrics.messageOut(message);
    this.socket.send(message, { binary: true }, (error) => {
      // A failed send means the socket is going away; its 'close' event cleans up.
      if (error) this.log.debug({ err: error }, 'send failed');
      done?.();
    });
  }

  /**
   * Sends several messages in one write to the OS: ws writes each frame at once (one syscall
   * each), so the stream is corked around them.
   */
  sendAll(messages: readonly Uint8Array[]): void {
    if (messages.length === 0) return;
    if (messages.length === 1) return this.send(messages[0]!);
    this.stream.cork();
    try {
      for (const message of messages) this.send(message);
    } finally {
      this.stream.uncork();
    }
  }

  /** Closes with a code and reason, once; later calls do nothing. */
  close(code: number, reason = closeCodeName(code)): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = code;
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason.slice(0, 120));
    }
  }

  /** Drops the socket without a closing handshake (it stopped answering). */
  terminate(): void {
    this.closed = true;
    this.socket.terminate();
  }

  /** Marks the socket as closed from the outside (the peer closed it). */
  markClosed(): void {
    this.closed = true;
  }

  ping(): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.alive = false;
    this.socket.ping();
  }
}
