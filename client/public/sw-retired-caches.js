/*
 * Imported into the Workbox service worker (vite.config.ts, workbox.importScripts): deletes the
 * caches of the hand-written worker that /sw.js was before, which nothing reads any more. On
 * activate, so only once the Workbox worker has installed its own copy: until then the old worker
 * may still be what opens the app offline.
 *
 * Plain JavaScript, served as is from client/public: it runs inside the worker, not the bundle.
 */
const RETIRED_CACHE_PREFIX = 'easel-shell-';

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(RETIRED_CACHE_PREFIX)) await caches.delete(name);
    })(),
  );
});
