import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the console into dist/console (served by the api at /console; CONSOLE_DIR). Every text file of
 * the build (scripts, styles, index.html) is written a second and third time pre-compressed, as `<file>.br`
 * (brotli, quality 11) and `<file>.gz` (gzip, level 9), which the api sends to browsers that accept them
 * (console-static.ts), so no response is compressed while a request waits. `vite` (dev) proxies the api's
 * routes to API_URL (default http://127.0.0.1:3000), so cookies stay on one origin.
 */
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'] })],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: Object.fromEntries(['/graphql', '/auth'].map((path) => [path, process.env.API_URL ?? 'http://127.0.0.1:3000'])),
  },
});
