/**
 * Builds the embeddable widget into dist/widget/:
 *   widget.js          the script a portal adds (a classic script: no import/export statements; it loads
 *                      the avatar with a dynamic import(), which classic scripts may use)
 *   widget-avatar.js   the digital human, loaded only when its mode is on
 * and prints each file's raw and gzipped size (budget: widget.js ≤ 60 KB gzipped).
 * If the navigator console has its own config (widget/console/vite.config.ts), it is built right after.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { build, defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '..', 'dist', 'widget');
const BUDGET_GZIP = 60 * 1024;

function reportSizes(): Plugin {
  return {
    name: 'daoban-report-sizes',
    apply: 'build',
    async closeBundle() {
      for (const file of ['widget.js', 'widget-avatar.js']) {
        const p = path.join(outDir, file);
        if (!fs.existsSync(p)) continue;
        const raw = fs.readFileSync(p);
        const gz = zlib.gzipSync(raw, { level: 9 }).length;
        const flag = file === 'widget.js' && gz > BUDGET_GZIP ? '  OVER BUDGET (60 KB gzip)' : '';
        console.log(`[widget] ${file.padEnd(18)} ${(raw.length / 1024).toFixed(1).padStart(7)} KB raw  ${(gz / 1024).toFixed(1).padStart(6)} KB gzip${flag}`);
      }
      const src = fs.readFileSync(path.join(outDir, 'widget.js'), 'utf8');
      if (/^\s*(import|export)\s/m.test(src)) throw new Error('widget.js must be a classic script (found an import/export statement)');
      const consoleConfig = path.join(here, 'console', 'vite.config.ts');
      if (fs.existsSync(consoleConfig)) await build({ configFile: consoleConfig });
    },
  };
}

export default defineConfig({
  root: here,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    lib: {
      entry: { widget: path.join(here, 'src', 'main.ts'), 'widget-avatar': path.join(here, 'src', 'avatar', 'index.ts') },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      output: { chunkFileNames: 'widget-[name]-[hash].js', minify: true },
    },
  },
  plugins: [reportSizes()],
});
