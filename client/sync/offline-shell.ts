import { whenIdle } from '../ui/when-idle.ts';

/**
 * Registers the service worker that keeps the app shell, so the home page and a board opened
 * before open with no network. The worker (/sw.js) is generated at build time by vite-plugin-pwa
 * with Workbox; vite.config.ts says what it keeps and why. Only in built pages: under the dev
 * server there is no worker, and one would serve a stale page over Vite's live one. The
 * registration outlives the page on purpose: it is what makes the next visit work offline, so
 * there is nothing to close.
 */
export function registerOfflineShell(options: { enabled: boolean; url?: string }): void {
  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  // Absent over plain http on a LAN (not a secure context): the board still works online.
  if (!options.enabled || container === undefined) return;
  const register = (): void => {
    container.register(options.url ?? '/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('easel: the board will not open offline (service worker not registered)', error);
    });
  };
  // Installing the worker fetches and keeps every file of the app; on a first visit that competed
  // with the board's own opening (measured: the socket opened hundreds of ms later), so it waits
  // until the page has loaded and the browser is idle, as Workbox advises.
  const registerWhenIdle = (): void => void whenIdle(register, { timeout: 5000 });
  if (document.readyState === 'complete') registerWhenIdle();
  else window.addEventListener('load', registerWhenIdle, { once: true });
}
