/**
 * The navigator console page (built by widget/console/vite.config.ts into dist/console):
 *
 *   GET /console, /console/          index.html (no-cache, strict Content-Security-Policy)
 *   GET /console/assets/:file        hashed JS/CSS (cached for a year, immutable)
 *
 * Files are read per request, so a rebuild is served without a restart. Until the console is built the page
 * answers 503 DB_CONSOLE_NOT_BUILT.
 */
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROJECT_ROOT } from '../../config/config.ts';
import { DaobanError } from '../../errors/catalogue.ts';
import { readBuiltFile } from '../built-file.ts';

export const CONSOLE_DIST_DIR = path.join(PROJECT_ROOT, 'dist', 'console');

export interface ConsolePageOptions {
  /** Where the built console is (default dist/console). */
  dir?: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Scripts and styles only from this origin, no inline code, sockets to this origin; nobody may frame the console. */
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self' ws: wss:",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export function registerConsolePage(http: FastifyInstance, opts: ConsolePageOptions = {}): void {
  const dir = opts.dir ?? CONSOLE_DIST_DIR;

  const page = async (_req: unknown, reply: FastifyReply) => {
    const html = await readBuiltFile(path.join(dir, 'index.html'));
    if (!html) throw DaobanError.create('CONSOLE_NOT_BUILT');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .send(html);
  };
  http.get('/console', page);
  http.get('/console/', page);

  http.get<{ Params: { file: string } }>('/console/assets/:file', async (req, reply) => {
    const { file } = req.params;
    const type = TYPES[path.extname(file)];
    // Only plain file names of known types: no traversal, no directory listing.
    if (!/^[\w.-]+$/.test(file) || file.startsWith('.') || !type) throw DaobanError.create('NOT_FOUND', `Console asset "${file}"`);
    const body = await readBuiltFile(path.join(dir, 'assets', file));
    if (!body) throw DaobanError.create('NOT_FOUND', `Console asset "${file}"`);
    return reply
      .header('content-type', type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
