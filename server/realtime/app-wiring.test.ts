/**
 * The handoff capability as server/app.ts wires it: the real assistant asks the conversation service for a person,
 * socket.io runs on the service's own HTTP server, and the console logs in over HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { buildApp, type DaobanApp } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { FIXTURE_KB_DIR } from '../assistant/__fixtures__/kb-fixture.ts';
import { NavigatorAccounts, openingAt, systemClock } from '../handoff/index.ts';
import { SqliteHandoffStore } from '../storage/index.ts';
import { CITIZEN_NAMESPACE, NAVIGATOR_NAMESPACE, SOCKET_PATH } from './protocol.ts';
import { ok, once, type CitizenSocket, type NavigatorSocket } from './testing/harness.ts';

let app: DaobanApp;
let base: string;
let dataDir: string;
const sockets: Array<{ disconnect(): void }> = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-app-handoff-'));
  const store = SqliteHandoffStore.open(dataDir);
  await new NavigatorAccounts(store, systemClock).create({ username: 'duty', password: 'duty-password', name: '值班导办员', skills: ['public-security', 'general'] });
  await store.close();
  app = await buildApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, KB_DIR: FIXTURE_KB_DIR, LOG_LEVEL: 'silent' }));
  base = await app.listen();
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('handoff wired into the service', () => {
  it('the assistant hands a socket citizen to a logged-in navigator (or to leave-a-message after hours)', async () => {
    const login = await fetch(`${base}/api/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'duty', password: 'duty-password' }) });
    const { token } = (await login.json()) as { token: string };
    const nav = connect(base + NAVIGATOR_NAMESPACE, { path: SOCKET_PATH, auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false }) as unknown as NavigatorSocket;
    sockets.push(nav);
    await once(nav, 'hello');

    const citizen = connect(base + CITIZEN_NAMESPACE, { path: SOCKET_PATH, auth: {}, transports: ['websocket'], forceNew: true, reconnection: false }) as unknown as CitizenSocket;
    sockets.push(citizen);
    const sync = await once(citizen, 'sync');
    const open = openingAt(app.kb.current().calendar, Date.now()).open;
    const offer = open ? once(nav, 'offer') : undefined;
    const reply = once(citizen, 'message', (m) => m.sender === 'bot');
    await ok(citizen, 'message:send', { clientId: 'c1', text: '我要转人工' });
    expect((await reply).bot?.status).toBe('handoff');
    const state = await fetch(`${base}/api/handoff/state`, { headers: { 'x-session-id': sync.sessionId } }).then((r) => r.json() as Promise<{ state: string }>);
    if (open) {
      expect(['queued', 'offered']).toContain(state.state);
      expect((await offer!).conversation.packet?.reason).toBeTruthy();
    } else {
      expect(state.state).toBe('after-hours');
    }
  });
});
