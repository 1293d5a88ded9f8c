/// <reference types="node" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/*
 * `nx serve web`: Vite's dev server on SHELFWATCH_PORT + 3 (the api's port + 3, next to the
 * scraper and analytics), proxying the api's routes to the local api on SHELFWATCH_PORT, so the
 * page and the api share one origin as they do in production (session cookie, no CORS).
 */
const apiPort = Number(process.env['SHELFWATCH_PORT'] || 8080);
const api = process.env['WEB_API_URL'] || `http://127.0.0.1:${apiPort}`;
const apiRoutes = ['/v1', '/openapi.json', '/health', '/ready'];

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/web',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env['WEB_DEV_PORT'] || apiPort + 3),
    strictPort: true,
    proxy: Object.fromEntries(apiRoutes.map((route) => [route, { target: api }])),
  },
  preview: { host: '127.0.0.1', port: apiPort + 4 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
  },
});
