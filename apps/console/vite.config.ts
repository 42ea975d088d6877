import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the console into dist/console (served by the api at /console; CONSOLE_DIR). `vite` (dev) proxies
 * the api's routes to API_URL (default http://127.0.0.1:3000), so cookies stay on one origin.
 */
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: Object.fromEntries(['/graphql', '/auth'].map((path) => [path, process.env.API_URL ?? 'http://127.0.0.1:3000'])),
  },
});
