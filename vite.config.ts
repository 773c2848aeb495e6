import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

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

export default defineConfig({
  plugins: [homeAtRoot()],
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
