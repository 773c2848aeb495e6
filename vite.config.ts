import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Where `npm run dev` expects the Easel server (`npm run serve`) to listen. */
const DEV_SERVER = 'http://localhost:1234';

/**
 * Two pages: the board (index.html, every `/b/<room>`) and the home page (home.html, `/`), so
 * each bundle carries only its own code; the Easel server picks the page by path.
 */
const PAGES = {
  board: fileURLToPath(new URL('./client/index.html', import.meta.url)),
  home: fileURLToPath(new URL('./client/home.html', import.meta.url)),
};

/** Under the dev server, `/` is the home page as it is under the Easel server. */
function homeAtRoot(): Plugin {
  return {
    name: 'easel-home-at-root',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url === '/' || req.url?.startsWith('/?')) req.url = `/home.html${req.url.slice(1)}`;
        next();
      });
    },
  };
}

/**
 * The board page's script (client/early-open.ts) starts getting the board, then imports the app
 * (main.ts) dynamically, so that it runs first. A dynamic import is fetched and parsed only when it
 * runs, and then on the main thread (measured: 150 ms of parsing the app's chunk after the
 * import); a modulepreload link in the page lets the browser fetch and compile it in the
 * background from the start, as it does for a script tag.
 */
function preloadApp(): Plugin {
  return {
    name: 'easel-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        if (!context.filename.endsWith('index.html')) return [];
        const app = Object.values(context.bundle ?? {}).find((output) => output.type === 'chunk' && output.facadeModuleId?.endsWith('/client/main.ts'));
        if (app === undefined) throw new Error('easel: the app chunk (client/main.ts) is missing from the build');
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${app.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

/**
 * The favicon's blue: the installed app's title bar and the splash behind its icon (also the
 * `<meta name="theme-color">` of both pages).
 */
const THEME_COLOR = '#4a6cf7';
/** The board's background (client/styles.css --board), shown while the app starts. */
const BACKGROUND_COLOR = '#fbfbfc';

/**
 * The web app manifest and the service worker, by vite-plugin-pwa with Workbox (generateSW), in
 * place of a hand-written worker: Workbox keeps a versioned precache of exactly what the build
 * wrote (a new deploy replaces it whole, old files are dropped), so there is no cache bookkeeping
 * of our own to get wrong. vite-plugin-pwa 2 accepts Vite 8, and its worker passes the same
 * offline e2e tests the hand-written one did (offline, home, images) plus pwa.test.ts.
 * client/sync/offline-shell.ts registers the worker (only in builds).
 *
 * - Page loads (/b/<room>, /): from the network, so a new deploy shows up at once; with no
 *   network, the precached page answers (every board uses index.html, the home page home.html).
 *   Never cache first: a page is only as new as the worker, and the worker only updates after the
 *   page has loaded.
 * - Everything the build wrote (pages, hashed /assets/*, icons, the manifest): precached.
 * - The sync socket, /healthz, /metrics and /api: not handled, straight to the network.
 */
function installableApp(): Plugin[] {
  const networkThenPrecached = (page: string, urlPattern: (context: { request: Request; url: URL }) => boolean) => ({
    urlPattern,
    handler: 'NetworkOnly' as const,
    options: { precacheFallback: { fallbackURL: page } },
  });
  return VitePWA({
    strategies: 'generateSW',
    filename: 'sw.js',
    manifestFilename: 'manifest.webmanifest',
    // Registered by client/sync/offline-shell.ts, as before; no update prompt, see `workbox`.
    injectRegister: false,
    registerType: 'autoUpdate',
    manifest: {
      name: 'Easel',
      short_name: 'Easel',
      description: 'Easel: a collaborative whiteboard',
      id: '/',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: THEME_COLOR,
      background_color: BACKGROUND_COLOR,
      // Rendered from favicon.svg by scripts/render-icons.ts.
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    // The icons are in client/public, so the glob below precaches them already.
    includeManifestIcons: false,
    workbox: {
      globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,woff2}'],
      // Pages are the runtime routes' below, never a cache-first fallback or directory index:
      // with the default directoryIndex, / would answer from the precached index.html (a board).
      navigateFallback: null,
      directoryIndex: '',
      // The patterns are copied into sw.js as source text: they must close over nothing.
      runtimeCaching: [
        networkThenPrecached('/index.html', ({ request, url }) => request.mode === 'navigate' && url.pathname.startsWith('/b/')),
        networkThenPrecached('/home.html', ({ request, url }) => request.mode === 'navigate' && url.pathname === '/'),
      ],
      // A new worker takes over open pages at once; their next load comes from the network anyway.
      skipWaiting: true,
      clientsClaim: true,
      cleanupOutdatedCaches: true,
      // Workbox only cleans up its own caches; the hand-written worker's are dropped by this one.
      importScripts: ['/sw-retired-caches.js'],
      inlineWorkboxRuntime: true,
      sourcemap: false,
    },
  });
}

export default defineConfig({
  plugins: [homeAtRoot(), preloadApp(), installableApp()],
  root: fileURLToPath(new URL('./client', import.meta.url)),
  // Absolute, so /b/<room> loads /assets/… and not /b/assets/….
  base: '/',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    rolldownOptions: { input: PAGES },
  },
  server: {
    proxy: {
      '/sync': {
        target: DEV_SERVER,
        ws: true,
        changeOrigin: true,
        // In dev, client/sync/*.ts is served under /sync/ too: only socket upgrades are the server's.
        bypass: (req) => (req.headers.upgrade?.toLowerCase() === 'websocket' ? undefined : req.url),
      },
      '/healthz': { target: DEV_SERVER, changeOrigin: true },
    },
  },
});
