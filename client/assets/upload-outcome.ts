import { ASSET_ERROR } from '../../shared/assets.ts';

/**
 * What an upload's answer means for the queue, as a pure function of the HTTP status, the error
 * body's code and Retry-After: stored (done), refused for good (the person is told, the file is
 * dropped from the queue) or worth retrying (the server is busy or failing, or the network is).
 */
export type UploadOutcome =
  | { kind: 'stored' }
  | { kind: 'refused'; code: string; message: string }
  /** `afterMs`: what Retry-After asked for, or null to use the backoff. */
  | { kind: 'retry'; afterMs: number | null };

/** The longest wait a Retry-After may ask for; a longer one is cut to this. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** The message for each refusal, for the person who added the file. */
export function refusalMessage(status: number, code: string | null): string {
  switch (code) {
    case ASSET_ERROR.unsupportedType:
      return 'The server does not take this file: only PNG, JPEG, GIF and WebP images (SVG is turned into PNG first). The image was removed.';
    case ASSET_ERROR.assetTooLarge:
      return 'This image is larger than the server takes for one file. The image was removed.';
    case ASSET_ERROR.roomQuotaExceeded:
      return 'This board has no room left for more images on the server. The image was removed.';
    case ASSET_ERROR.hashMismatch:
      return 'The image was damaged on its way to the server. The image was removed; try adding it again.';
  }
  if (status === 401) return 'The server did not accept this link’s access token, so it did not store the image. The image was removed; open the board with a fresh link.';
  if (status === 403) return 'This link may not add images to the board. The image was removed.';
  if (status === 413) return 'This image is too large for the server. The image was removed.';
  return `The server refused the image (HTTP ${status}${code === null ? '' : `, ${code}`}). The image was removed.`;
}

/** Retry-After in milliseconds (seconds or an HTTP date), or null if absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000));
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - now));
}

/** The outcome of an answer with `status`, its error body's `code` (null without one) and its Retry-After header. */
export function uploadOutcome(status: number, code: string | null, retryAfter: string | null, now: number): UploadOutcome {
  if (status >= 200 && status < 300) return { kind: 'stored' };
  if (status === 429) return { kind: 'retry', afterMs: retryAfterMs(retryAfter, now) };
  // 400, 401, 403, 413, 415: asking again with the same bytes gets the same answer.
  if (status === 400 || status === 401 || status === 403 || status === 413 || status === 415) return { kind: 'refused', code: code ?? `http_${status}`, message: refusalMessage(status, code) };
  // 5xx, a proxy's 404 before the API exists, anything else: the server may do better later.
  return { kind: 'retry', afterMs: status === 503 ? retryAfterMs(retryAfter, now) : null };
}
