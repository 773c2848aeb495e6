import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Where `npm run dev` expects the Easel server (`npm run serve`) to listen. */
const DEV_SERVER = 'http://localhost:1234';

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  // Absolute, so /b/<room> loads /assets/… and not /b/assets/….
  base: '/',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
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
