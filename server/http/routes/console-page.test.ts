import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../errors.ts';
import { registerConsolePage } from './console-page.ts';

const dirs: string[] = [];
let http: FastifyInstance | undefined;

async function serve(files: Record<string, string>): Promise<FastifyInstance> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-console-page-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  http = Fastify({ logger: false });
  installErrorHandler(http);
  registerConsolePage(http, { dir });
  await http.ready();
  return http;
}

afterEach(async () => {
  await http?.close();
  http = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('console page', () => {
  it('serves index.html at /console and /console/ with a strict content security policy', async () => {
    const app = await serve({ 'index.html': '<!doctype html><title>导办员工作台</title>', 'assets/index-abc.js': 'console.log(1)' });
    for (const url of ['/console', '/console/']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.body).toContain('导办员工作台');
    }
  });

  it('serves hashed assets as immutable, and nothing outside the assets folder', async () => {
    const app = await serve({ 'index.html': '<!doctype html>', 'assets/index-abc.js': 'console.log(1)', 'secret.txt': 'no' });
    const js = await app.inject({ url: '/console/assets/index-abc.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    for (const url of ['/console/assets/..%2Fsecret.txt', '/console/assets/missing.js', '/console/assets/.hidden.js', '/console/assets/index-abc.exe']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('DB_NOT_FOUND');
    }
  });

  it('answers 503 DB_CONSOLE_NOT_BUILT until the console is built', async () => {
    const app = await serve({});
    const res = await app.inject({ url: '/console' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('DB_CONSOLE_NOT_BUILT');
  });
});
