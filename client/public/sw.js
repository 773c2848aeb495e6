/*
 * Easel's service worker: keeps the app shell, the two pages (index.html for every board,
 * home.html for the home page at /) and the files they reference, so the home page and a board
 * opened before open again with no network at all. The board list and the boards' content come
 * from the browser's storage (localStorage, IndexedDB), not from here; this only serves the pages
 * and their assets.
 *
 * - Page loads (/b/<room>, /): network first, so a new deploy shows up at once; the fresh page is
 *   kept as its shell. With no network, the kept shell answers (every board uses the same page).
 * - /assets/*: file names carry a content hash, so a kept copy is always right: cache first. An
 *   asset that neither kept page references any more is dropped.
 * - Everything else (the sync socket, /healthz, /api) is left to the network.
 *
 * Plain JavaScript, served as is from client/public: it must not depend on the bundle it caches.
 */
const CACHE = 'easel-shell-v2';
const BOARD_SHELL = '/index.html';
const HOME_SHELL = '/home.html';
const SHELLS = [BOARD_SHELL, HOME_SHELL];

/** The kept page that answers a navigation to `pathname`, or null for paths that are no page. */
function shellFor(pathname) {
  if (pathname === '/') return HOME_SHELL;
  if (pathname.startsWith('/b/')) return BOARD_SHELL;
  return null;
}

/** Same-origin files a page references (script, stylesheet, icons, preloads). */
function referencedFiles(html) {
  const files = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/[^"/][^"]*)"/g)) files.add(match[1]);
  return [...files];
}

/** Keeps `response` as `shell` with everything it references, then drops assets no shell uses. */
async function keepShell(cache, shell, response) {
  const html = await response.clone().text();
  await cache.addAll(referencedFiles(html));
  await cache.put(shell, response);
  const wanted = new Set();
  for (const kept of SHELLS) {
    const page = await cache.match(kept);
    if (page === undefined) continue;
    for (const file of referencedFiles(await page.text())) wanted.add(new URL(file, self.location.origin).href);
  }
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/assets/') && !wanted.has(url.href)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const shell of SHELLS) {
        const response = await fetch(shell, { cache: 'no-cache' });
        if (!response.ok) throw new Error(`easel sw: ${shell} answered ${response.status}`);
        await keepShell(cache, shell, response);
      }
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
  const shell = shellFor(new URL(request.url).pathname);
  if (shell === null) return fetch(request);
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const type = response.headers.get('content-type') ?? '';
    // Only the page itself is a shell; a 404 for a bad room name or a redirect is passed on as is
    // (a redirected response cannot answer another navigation).
    if (response.ok && !response.redirected && type.startsWith('text/html') && shellFor(new URL(response.url).pathname) === shell) {
      const previous = await cache.match(shell);
      const fresh = response.clone();
      const changed = previous === undefined || (await previous.text()) !== (await fresh.clone().text());
      if (changed) keepShell(cache, shell, fresh).catch((error) => console.warn(`easel sw: could not keep ${shell}`, error));
    }
    return response;
  } catch (error) {
    const kept = await cache.match(shell);
    if (kept !== undefined) return kept;
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
