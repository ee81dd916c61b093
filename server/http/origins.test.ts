import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from './errors.ts';
import { originAllowed, registerOriginGate } from './origins.ts';

const PORTAL = 'https://portal.example.gov.cn';
const app = Fastify({ logger: false });
beforeAll(async () => {
  installErrorHandler(app);
  await registerOriginGate(app, [PORTAL]);
  app.post('/api/echo', async () => ({ ok: true }));
  app.get('/widget.js', async () => 'x');
  await app.ready();
});
afterAll(() => app.close());

describe('originAllowed', () => {
  it('allows listed origins, the same origin and requests without an Origin', () => {
    expect(originAllowed(PORTAL, 'daoban.example', [PORTAL])).toBe(true);
    expect(originAllowed('http://daoban.example', 'daoban.example', [PORTAL])).toBe(true);
    expect(originAllowed(undefined, 'daoban.example', [PORTAL])).toBe(true);
    expect(originAllowed('https://evil.example', 'daoban.example', [PORTAL])).toBe(false);
    expect(originAllowed('null', 'daoban.example', ['*'])).toBe(false);
    expect(originAllowed('https://any.example', 'daoban.example', ['*'])).toBe(true);
  });
});

describe('origin gate', () => {
  it('answers allowed portals with CORS headers, including the preflight', async () => {
    const pre = await app.inject({ method: 'OPTIONS', url: '/api/echo', headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(PORTAL);
    const res = await app.inject({ method: 'POST', url: '/api/echo', headers: { origin: PORTAL }, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
  });

  it('refuses other origins on the API with DB_ORIGIN_NOT_ALLOWED, but not the public script', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/echo', headers: { origin: 'https://evil.example' }, payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'DB_ORIGIN_NOT_ALLOWED' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect((await app.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://evil.example' } })).statusCode).toBe(200);
  });

  it('lets same-origin pages and server-to-server calls through', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/echo', headers: { origin: 'http://localhost:80', host: 'localhost:80' }, payload: {} })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/echo', payload: {} })).statusCode).toBe(200);
  });
});
