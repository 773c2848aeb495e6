/*
 * Easel's service worker: keeps the app shell (index.html and the files it references) so a
 * board opened before opens again with no network at all. The board's content comes from the
 * browser's IndexedDB copy, not from here; this only serves the page and its assets.
 *
 * - Page loads (/b/<room>, /): network first, so a new deploy shows up at once; the fresh page is
 *   kept as the shell. With no network, the kept shell answers (every board uses the same page).
 * - /assets/*: file names carry a content hash, so a kept copy is always right: cache first.
 * - Everything else (the sync socket, /healthz, /api) is left to the network.
 *
 * Plain JavaScript, served as is from client/public: it must not depend on the bundle it caches.
 */
const CACHE = 'easel-shell-v1';
const SHELL = '/index.html';

/** Same-origin files the shell references (script, stylesheet, icons, preloads). */
function referencedFiles(html) {
  const files = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/[^"/][^"]*)"/g)) files.add(match[1]);
  return [...files];
}

/** Fetches `response`'s page into the cache with everything it references, dropping old assets. */
async function keepShell(cache, response) {
  const html = await response.clone().text();
  const files = referencedFiles(html);
  await cache.addAll(files);
  await cache.put(SHELL, response);
  const wanted = new Set(files.map((file) => new URL(file, self.location.origin).href));
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/assets/') && !wanted.has(url.href)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch(SHELL, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`easel sw: ${SHELL} answered ${response.status}`);
      await keepShell(cache, response);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('easel-shell-') && name !== CACHE) await caches.delete(name);
      // Take over the page that registered us, so it works offline without a reload first.
      await self.clients.claim();
    })(),
  );
});

async function navigate(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') ?? '';
    // Only a board page is the shell; a 404 for a bad room name or a redirect is passed on as is
    // (a redirected response cannot answer another navigation).
    if (response.ok && !response.redirected && type.startsWith('text/html') && new URL(response.url).pathname.startsWith('/b/')) {
      const previous = await cache.match(SHELL);
      const fresh = response.clone();
      const changed = previous === undefined || (await previous.text()) !== (await fresh.clone().text());
      if (changed) keepShell(cache, fresh).catch(() => {});
    }
    return response;
  } catch (error) {
    const shell = await cache.match(SHELL);
    if (shell !== undefined) return shell;
    throw error;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept !== undefined) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
  } else if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    event.respondWith(asset(request));
  }
});
