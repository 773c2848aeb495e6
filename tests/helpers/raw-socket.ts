/**
 * A WebSocket client made by hand on a raw TCP socket, for sending what no WebSocket library
 * will: reserved bits, bad opcodes, unmasked frames, lying lengths, truncated frames. It does the
 * HTTP upgrade itself and reads back the close frame (if any) the server sends.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array;
  /** Default true. */
  fin?: boolean;
  /** The three reserved bits, 0–7. */
  rsv?: number;
  /** Client frames must be masked; default true. */
  mask?: boolean;
  /** The length written in the header, when it should lie about the payload. */
  declaredLength?: bigint;
}

/** Encodes one frame as a client would (masked unless told otherwise). */
export function buildFrame(spec: FrameSpec): Buffer {
  const payload = Buffer.from(spec.payload ?? new Uint8Array(0));
  const length = spec.declaredLength ?? BigInt(payload.length);
  const masked = spec.mask ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  } else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ key[i % 4]!;
  return Buffer.concat([header, key, body]);
}

/** A close frame payload: the code, then the reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const buf = Buffer.alloc(2);
  buf.writeUInt16BE(code);
  return Buffer.concat([buf, Buffer.from(reason)]);
}

export interface RawClose {
  /** The code of the server's close frame, or null if it dropped the connection without one. */
  code: number | null;
}

export class RawSocket {
  /** Resolves once the TCP connection is gone, with the server's close code if it sent one. */
  readonly closed: Promise<RawClose>;
  /** Opcodes of the frames the server sent (other than close), in order. */
  readonly received: number[] = [];
  private buffer = Buffer.alloc(0);
  private closeCode: number | null = null;
  /** Whether we sent a close frame (then the server's close is the answer, not to be answered). */
  private closeSent = false;

  private constructor(
    private readonly socket: net.Socket,
    leftover: Buffer,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve({ code: this.closeCode })));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // A reset is one of the outcomes the tests accept.
    if (leftover.length > 0) this.onData(leftover);
  }

  /** Connects to 127.0.0.1:`port` and upgrades `path`; rejects unless the server answers 101. */
  static connect(port: number, path: string, headers: Record<string, string> = {}): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        socket.off('error', reject);
        const status = head.subarray(0, end).toString().split('\r\n')[0] ?? '';
        if (!/^HTTP\/1\.1 101 /.test(status)) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${status}`));
          return;
        }
        resolve(new RawSocket(socket, head.subarray(end + 4)));
      };
      socket.on('data', onData);
      socket.once('error', reject);
      const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
      );
    });
  }

  get isOpen(): boolean {
    return !this.socket.destroyed && this.closeCode === null;
  }

  write(data: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  send(spec: FrameSpec): void {
    if (spec.opcode === OPCODE.close) this.closeSent = true;
    this.write(buildFrame(spec));
  }

  /** Half-closes: no more data from us (a frame cut short stays cut short). */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Closes politely and waits for the connection to go. */
  async close(): Promise<RawClose> {
    if (this.isOpen) this.send({ opcode: OPCODE.close, payload: closePayload(1000) });
    // A server that never answers is cut after a while rather than hanging the test.
    const timer = setTimeout(() => this.socket.destroy(), 2_000);
    const result = await this.closed;
    clearTimeout(timer);
    return result;
  }

  /** Parses server frames (unmasked) as they arrive, noting the close code. */
  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const payload = this.buffer.subarray(offset, offset + length);
      this.buffer = this.buffer.subarray(offset + length);
      if (opcode === OPCODE.close) {
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        // Answer the server's close as a client should (unless it answers ours), then let the
        // server drop TCP. Writing to a socket the server already dropped would earn a reset,
        // which throws away whatever we had not read yet.
        if (this.socket.destroyed) continue;
        if (this.closeSent) this.socket.end();
        else this.socket.end(buildFrame({ opcode: OPCODE.close, payload: payload.subarray(0, 2) }));
      } else {
        this.received.push(opcode);
      }
    }
  }
}
