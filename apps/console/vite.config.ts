import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { graphqlDocuments } from './vite-graphql-documents.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Vendor chunks of the build, by package (module path below node_modules), first match wins. */
const VENDOR_CHUNKS: Array<[string, RegExp]> = [
  ['react', /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/],
  ['graphql-client', /node_modules[\\/](urql|@urql[\\/]core|wonka|graphql|@0no-co[\\/]graphql\.web)[\\/]/],
  ['i18n', /node_modules[\\/](i18next|react-i18next|i18next-browser-languagedetector|html-parse-stringify|void-elements)[\\/]/],
  ['echarts', /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor|tslib)[\\/]/],
];

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
  plugins: [graphqlDocuments(fileURLToPath(new URL('src/graphql/generated', import.meta.url))), react(), compression({ algorithms: ['brotliCompress', 'gzip'] })],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        // vendor chunks for the libraries every page runs, so that a new build of the console's own code
        // leaves them cached; ECharts only in the funnel chart's. Ant Design is left to the automatic
        // split: a group of its own would hold every component some page uses and make each page load all.
        codeSplitting: {
          groups: VENDOR_CHUNKS.map(([name, test], index) => ({ name, test, priority: VENDOR_CHUNKS.length - index })),
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(['/graphql', '/auth'].map((path) => [path, process.env.API_URL ?? 'http://127.0.0.1:3000'])),
  },
});
