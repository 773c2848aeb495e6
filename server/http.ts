/**
 * Plain HTTP routes: the built client (the home page at `/`, a board at `/b/<room>`), the
 * health check, metrics, and the API (handed to server/api/router.ts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { API_BASE } from '../shared/api.ts';
import { PATHS, isValidRoomName } from '../shared/protocol.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  rooms: number;
  connections: number;
  /** Set while unhealthy: why. */
  reason?: string;
}

export interface HttpHandlerOptions {
  /** Folder of the built client (index.html and assets/). */
  staticDir: string;
  health: () => HealthReport;
  /** Prometheus text exposition for GET /metrics. */
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** Every request under API_BASE (server/api/router.ts). */
  api: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  logger: Logger;
}


function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Builds the request handler for every non-WebSocket request. */
export function createHttpHandler(options: HttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const root = path.resolve(options.staticDir);

  async function sendFile(res: ServerResponse, file: string, method: string, cacheControl: string): Promise<boolean> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return false; // Not there: the caller answers 404.
    }
    if (!info.isFile()) return false;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': cacheControl,
    });
    if (method === 'HEAD') {
      res.end();
      return true;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
    return true;
  }

  /** One of the client's pages: index.html (a board) or home.html (the home page). */
  async function sendPage(res: ServerResponse, method: string, page: 'index.html' | 'home.html'): Promise<void> {
    const sent = await sendFile(res, path.join(root, page), method, 'no-cache');
    if (!sent) sendText(res, 503, `The client is not built (no ${path.join(root, page)}): run "npm run build".\n`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    if (pathname.startsWith(`${API_BASE}/`)) {
      await options.api(req, res);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (pathname === PATHS.health) {
      const report = options.health();
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(report));
      return;
    }
    if (pathname === PATHS.metrics) {
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    if (pathname === '/') {
      await sendPage(res, method, 'home.html');
      return;
    }
    if (pathname.startsWith(`${PATHS.board}/`)) {
      let room: string;
      try {
        room = decodeURIComponent(pathname.slice(PATHS.board.length + 1));
      } catch {
        room = '';
      }
      if (!isValidRoomName(room)) {
        sendText(res, 404, 'Board names are 1 to 128 characters of A-Z a-z 0-9 _ . -\n');
        return;
      }
      await sendPage(res, method, 'index.html');
      return;
    }
    // Static assets: resolve inside the root only, so '..' cannot escape it.
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      sendText(res, 400, 'Bad path\n');
      return;
    }
    const file = path.resolve(root, `.${relative}`);
    if (!file.startsWith(root + path.sep)) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    const immutable = relative.startsWith('/assets/');
    const sent = await sendFile(res, file, method, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (!sent) sendText(res, 404, 'Not found\n');
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error, url: req.url }, 'http request failed');
      if (!res.headersSent) sendText(res, 500, 'Internal error\n');
      else res.destroy(error instanceof Error ? error : undefined);
    });
  };
}
