/**
 * The navigator console: a second Vite build beside the citizen widget's, served by the service at /console
 * (server/http/routes/console-page.ts). Output: dist/console (index.html + hashed assets).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export const CONSOLE_OUT_DIR = path.resolve(here, '../../dist/console');

export default defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: CONSOLE_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
