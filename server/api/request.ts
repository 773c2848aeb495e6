/**
 * Reading API requests: bodies with a size cap, and the errors a request itself can earn
 * (too large, wrong method, unknown path), each with the HTTP status it is answered with.
 */
import type { IncomingMessage } from 'node:http';
import { EaselError } from '../errors.ts';

/** A request the API refuses for its own shape (not for access or for the board): `httpStatus` says how. */
export class RequestError extends EaselError {
  readonly httpStatus: 400 | 404 | 405 | 413;
  /** For 405: the methods the path allows (the Allow header). */
  readonly allow: readonly string[];
  constructor(httpStatus: 400 | 404 | 405 | 413, code: string, message: string, allow: readonly string[] = []) {
    super(code, message);
    this.httpStatus = httpStatus;
    this.allow = allow;
  }
}

/**
 * The whole body of `req` as text, refused with 413 as soon as it is known to pass `limit` bytes
 * (from Content-Length before reading anything, else while reading), so a client cannot make the
 * server hold more than the limit.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = (): RequestError => new RequestError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`);
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) throw tooLarge();
  return (await readBodyBytes(req, limit, tooLarge)).toString('utf8');
}

/** The request's Content-Length, or null when it declares none (chunked) or one that is not a number. */
export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined || !/^[0-9]{1,16}$/.test(header)) return null;
  return Number(header);
}

/**
 * The whole body of `req` as bytes, rejecting with `tooLarge()` once more than `limit` bytes
 * arrived: at most `limit` bytes are ever held. (Callers refuse a declared length over the limit
 * before calling, so nothing is read at all then.)
 */
export function readBodyBytes(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  // Events, not `for await`: leaving an async iterator early destroys the request and with it the
  // socket the 413 must still be written to.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Stop reading; the answer goes with Connection: close, which ends what is left unread.
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    // A client that goes away mid-body: nothing more will come, and nothing is kept.
    req.once('close', () => {
      if (!req.readableEnded) reject(new RequestError(400, 'aborted', 'the request was closed before its body ended'));
    });
  });
}

/** Longest editor name kept from a request; longer ones are cut. */
const MAX_EDITOR_LENGTH = 64;

/**
 * Who a replace or restore is recorded as (the version's editors): the X-Easel-Editor header when
 * the caller names itself (the CLI does), else `fallback`. Control characters are dropped so a
 * name cannot forge log lines.
 */
export function editorName(req: IncomingMessage, fallback: string): string {
  const header = req.headers['x-easel-editor'];
  const named = typeof header === 'string' ? header.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_EDITOR_LENGTH) : '';
  return named === '' ? fallback : named;
}
