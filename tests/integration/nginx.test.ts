/**
 * The reverse-proxy setup of docs/reverse-proxy.md, for real: its nginx block (read from the doc)
 * with a self-signed certificate in front of Easel, and stock y-websocket providers syncing
 * through wss://, tokens as a subprotocol and in the query, origin checks through the forwarded
 * Host, the share API, health and the metrics restriction.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import http from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { makeTempDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { poll, waitFor } from '../helpers/client.ts';
import { upgradeStatus } from '../helpers/wire.ts';
import { findNginx, makeCertificate, startNginx, type Certificate, type RunningNginx } from '../helpers/nginx.ts';
import { freePort } from '../helpers/ports.ts';
import { createAuth } from '../../server/auth.ts';
import { PATHS, sharePath, type ShareResponse } from '../../shared/protocol.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';

const SECRET = 'nginx-test-secret-0123456789abcdefghij';
const auth = createAuth(SECRET);
const token = (room: string, role: 'edit' | 'view'): Promise<string> => auth.sign({ room, role, expiresAt: Math.floor(Date.now() / 1000) + 600 });

let easel: TestServer;
let nginx: RunningNginx;
let dir: string;
let cert: Certificate;
let port: number;
let plainPort: number;

/** The nginx block of the doc, pointed at our ports and certificate; every edit must apply. */
async function configFromDoc(easelPort: number): Promise<string> {
  const doc = await readFile(fileURLToPath(new URL('../../docs/reverse-proxy.md', import.meta.url)), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/reverse-proxy.md has an nginx block');
  const edits: Array<[string, string]> = [
    ['listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`],
    ['listen 80;', `listen 127.0.0.1:${plainPort};`],
    ['server 127.0.0.1:1234;', `server 127.0.0.1:${easelPort};`],
    ['/etc/ssl/easel/fullchain.pem', cert.certFile],
    ['/etc/ssl/easel/privkey.pem', cert.keyFile],
  ];
  let config = block;
  for (const [from, to] of edits) {
    assert.ok(config.includes(from), `the doc's nginx block contains "${from}"`);
    config = config.replace(from, to);
  }
  return config;
}

before(async () => {
  const binary = await findNginx();
  dir = await makeTempDir('easel-nginx-');
  cert = await makeCertificate(dir);
  easel = await startTestServer({ authSecret: SECRET, trustProxy: true });
  port = await freePort();
  plainPort = await freePort();
  nginx = await startNginx(binary, dir, await configFromDoc(easel.port), port);
});

after(async () => {
  await nginx?.stop();
  await easel?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A ws WebSocket that trusts our self-signed certificate, for the stock provider. */
function trustingWebSocket(ca: string): typeof globalThis.WebSocket {
  class TrustingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { ca });
    }
  }
  // ws's WebSocket is API-compatible with the browser's for what the provider uses.
  return TrustingWebSocket as unknown as typeof globalThis.WebSocket;
}

function request(url: string, options: https.RequestOptions = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.request(url, { ca: cert.pem, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('health through TLS, and plain HTTP redirects to HTTPS', async () => {
  const health = await request(`https://localhost:${port}${PATHS.health}`);
  assert.equal(health.status, 200, await nginx.errorLog());
  assert.equal((JSON.parse(health.body) as { status: string }).status, 'ok');
  const redirect = await request(`http://127.0.0.1:${plainPort}/b/room`);
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, 'https://127.0.0.1/b/room');
});

test('stock providers sync through wss:// (token as subprotocol and in the query)', async () => {
  const TrustingWebSocket = trustingWebSocket(cert.pem);
  const url = `wss://localhost:${port}${PATHS.sync}`;
  const docA = new Y.Doc();
  const docB = new Y.Doc();
  const a = new WebsocketProvider(url, 'tls', docA, {
    WebSocketPolyfill: TrustingWebSocket,
    protocols: [await token('tls', 'edit')],
    disableBc: true,
  });
  const b = new WebsocketProvider(url, 'tls', docB, {
    WebSocketPolyfill: TrustingWebSocket,
    params: { token: await token('tls', 'edit') },
    disableBc: true,
  });
  try {
    await poll(() => a.synced && b.synced, 'both providers synced through nginx');
    docA.transact(() => docA.getMap('m').set('a', 'through nginx'), LOCAL_ORIGIN);
    docB.transact(() => docB.getMap('m').set('b', 'and back'), LOCAL_ORIGIN);
    await waitFor(() => docB.getMap('m').get('a') === 'through nginx', { doc: docB }, 'B sees A');
    await waitFor(() => docA.getMap('m').get('b') === 'and back', { doc: docA }, 'A sees B');
    a.awareness.setLocalStateField('user', { name: 'a', color: '#ff0000' });
    await waitFor(() => b.awareness.getStates().has(docA.clientID), { awareness: b.awareness }, 'presence through nginx');
  } finally {
    a.destroy();
    b.destroy();
    docA.destroy();
    docB.destroy();
  }
});

test('origin check sees the public host; share API and metrics restriction through nginx', async () => {
  const url = `wss://localhost:${port}${PATHS.sync}/tls?token=${await token('tls', 'view')}`;
  // The page the proxy serves has the proxy's origin: allowed because nginx forwards Host with its port.
  assert.equal(await upgradeStatus(url, { ca: cert.pem, origin: `https://localhost:${port}` }), 101);
  assert.equal(await upgradeStatus(url, { ca: cert.pem, origin: 'https://evil.example' }), 403);

  const shared = await request(`https://localhost:${port}${sharePath('tls')}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('tls', 'edit')}` },
  });
  assert.equal(shared.status, 200);
  assert.equal((JSON.parse(shared.body) as ShareResponse).role, 'view');

  const metrics = await request(`https://localhost:${port}${PATHS.metrics}`);
  assert.equal(metrics.status, 200, 'allowed from 127.0.0.1');
  assert.match(metrics.body, /easel_connections/);
});
