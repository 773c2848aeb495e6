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
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
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
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
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
