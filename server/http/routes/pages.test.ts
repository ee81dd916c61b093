import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../errors.ts';
import { registerPages } from './pages.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-pages-'));
const app = Fastify({ logger: false });
beforeAll(async () => {
  installErrorHandler(app);
  registerPages(app, { dir });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('pages', () => {
  it('serves the demo portal with the widget embedded by its script tag', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('<script src="/widget.js"');
    expect(res.body).toContain('北京市政务服务网');
    expect((await app.inject({ method: 'GET', url: '/portal.js' })).body).toContain('Daoban');
  });

  it('answers 503 DB_WIDGET_NOT_BUILT before a build, then serves the files a rebuild wrote', async () => {
    const before = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toMatchObject({ error: { code: 'DB_WIDGET_NOT_BUILT' } });
    fs.writeFileSync(path.join(dir, 'widget.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'widget-avatar.js'), 'export const x = 1');
    const res = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    const avatar = await app.inject({ method: 'GET', url: '/widget-avatar.js', headers: { origin: 'https://portal.example' } });
    expect(avatar.headers['access-control-allow-origin']).toBe('*');
    expect((await app.inject({ method: 'GET', url: '/widget-other.js' })).statusCode).toBe(404);
  });
});
