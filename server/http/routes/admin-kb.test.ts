import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type DaobanApp } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { FIXTURE_FILES, writeFixtureKb } from '../../kb/testing/fixture-kb.ts';

const HUKOU = 'items/household/hukou-move.yaml';
const apps: DaobanApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function start(env: Record<string, string> = {}): Promise<{ app: DaobanApp; root: string }> {
  const root = writeFixtureKb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-data-'));
  const app = await buildApp(loadConfig({ KB_DIR: root, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', ...env }));
  apps.push(app);
  return { app, root };
}

const auth = { authorization: 'Bearer s3cret-token' };

describe('knowledge-base admin endpoints', () => {
  it('answer 404 when ADMIN_TOKEN is unset', async () => {
    const { app } = await start();
    const res = await app.http.inject({ method: 'GET', url: '/api/admin/kb', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('DB_NOT_FOUND');
    expect((await app.http.inject({ method: 'POST', url: '/api/admin/kb/reload', headers: auth })).statusCode).toBe(404);
  });

  it('answer 401 without the right bearer token', async () => {
    const { app } = await start({ ADMIN_TOKEN: 's3cret-token' });
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 's3cret-token' }]) {
      const res = await app.http.inject({ method: 'GET', url: '/api/admin/kb', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'DB_UNAUTHORIZED', message: 'Authentication required' } });
    }
    expect((await app.http.inject({ method: 'POST', url: '/api/admin/kb/reload' })).statusCode).toBe(401);
  });

  it('report the status and reload: 200 with the new hash, 422 with the issues while the old version serves', async () => {
    const { app, root } = await start({ ADMIN_TOKEN: 's3cret-token' });
    const status = await app.http.inject({ method: 'GET', url: '/api/admin/kb', headers: auth });
    expect(status.statusCode).toBe(200);
    const first = status.json();
    expect(first).toMatchObject({ hash: app.kb.current().hash, counts: { items: 2, policies: 2 }, watching: false });

    fs.writeFileSync(path.join(root, HUKOU), FIXTURE_FILES[HUKOU]!.replace('department: bj-psb', 'department: bj-nope'));
    const bad = await app.http.inject({ method: 'POST', url: '/api/admin/kb/reload', headers: auth });
    expect(bad.statusCode).toBe(422);
    const body = bad.json();
    expect(body.error.code).toBe('DB_KB_INVALID');
    expect(body.error.message).toBe('The knowledge base has 1 error(s); the previous version keeps serving');
    expect(body.error.details.hash).toBe(first.hash);
    expect(body.error.details.issues).toEqual([
      { file: HUKOU, line: 3, field: 'department', message: 'unknown department "bj-nope" (not defined in departments.yaml)', severity: 'error' },
    ]);
    expect(app.kb.current().hash).toBe(first.hash);

    fs.writeFileSync(path.join(root, HUKOU), FIXTURE_FILES[HUKOU]!.replace('title: 朝阳区户口迁入', 'title: 朝阳区户口迁入登记'));
    const ok = await app.http.inject({ method: 'POST', url: '/api/admin/kb/reload', headers: auth });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, changed: true, hash: app.kb.current().hash });
    expect(ok.json().hash).not.toBe(first.hash);
    expect(app.kb.current().itemsById.get('hukou-move')!.title).toBe('朝阳区户口迁入登记');
    const after = (await app.http.inject({ method: 'GET', url: '/api/admin/kb', headers: auth })).json();
    expect(after.lastReload).toMatchObject({ ok: true, hash: ok.json().hash });
  });

  it('refuse to build the app on an invalid knowledge base, listing every issue', async () => {
    const root = writeFixtureKb({ [HUKOU]: FIXTURE_FILES[HUKOU]!.replace('theme: household', 'theme: nope') });
    const config = loadConfig({ KB_DIR: root, LOG_LEVEL: 'silent', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-data-')) });
    await expect(buildApp(config)).rejects.toThrow(/items\/household\/hukou-move\.yaml:4 theme: unknown theme "nope"/);
  });
});
