import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type DaobanApp } from './app.ts';
import { loadConfig } from './config/config.ts';

describe('buildApp on a port picked at listen time', () => {
  let app: DaobanApp;
  let base: string;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-app-'));
    app = await buildApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    base = await app.listen();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves health and names the real port in share links', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ ok: true });
    // the background indexes of the knowledge base finish a few event-loop turns after the start
    let health = (await (await fetch(`${base}/healthz`)).json()) as { warm: boolean };
    for (let turn = 0; turn < 1000 && !health.warm; turn++) {
      await new Promise((r) => setImmediate(r));
      health = (await (await fetch(`${base}/healthz`)).json()) as { warm: boolean };
    }
    expect(health.warm).toBe(true);
    const item = app.kb.current().items.find((i) => i.questions.length > 0)!;
    const answers = Object.fromEntries(item.questions.map((q) => [q.id, q.options[0]!.id]));
    const res = await fetch(`${base}/api/guides/${item.id}/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers, save: true }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { complete: boolean; shareUrl?: string };
    expect(body.complete).toBe(true);
    expect(body.shareUrl?.startsWith(`${base}/checklists/`)).toBe(true);
    const page = await fetch(body.shareUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(item.title);
  });
});
