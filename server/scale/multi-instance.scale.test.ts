/**
 * Three real service processes on one PostgreSQL schema, one Redis and one index directory: chat across
 * instances, queue positions, concurrent claims, graceful drain behind a balancer, and a Redis restart.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NavigatorAccounts } from '../handoff/accounts.ts';
import { systemClock } from '../handoff/clock.ts';
import type { CitizenSync, ConversationDetail, MessageView, MonitorChange, MonitoredConversation, NavigatorRole, QueueStatus } from '../realtime/protocol.ts';
import { openPostgres, PostgresHandoffStore, type PgPool } from '../storage/postgres/index.ts';
import { startBalancer, startClusterEnv, type ClusterEnv, type Instance } from './testing/cluster-harness.ts';

let env: ClusterEnv;
let pool: PgPool;
let store: PostgresHandoffStore;
let A: Instance, B: Instance, C: Instance;
const sockets: Socket[] = [];

function connect(url: string, ns: '/citizen' | '/navigator', auth: Record<string, unknown> | ((cb: (a: object) => void) => void), reconnection = false): Socket {
  const s = io(url + ns, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection, reconnectionDelay: 50, reconnectionDelayMax: 200, auth });
  sockets.push(s);
  return s;
}

function next<T>(s: Socket, event: string, pred: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const on = (p: T) => {
      if (!pred(p)) return;
      s.off(event, on);
      resolve(p);
    };
    s.on(event, on);
  });
}

async function call<T = Record<string, unknown>>(s: Socket, event: string, payload: object = {}): Promise<T> {
  const r = (await s.timeout(20_000).emitWithAck(event, payload)) as { ok: boolean; error?: { code: string } } & T;
  if (!r.ok) throw Object.assign(new Error(r.error?.code ?? 'error'), { code: r.error?.code });
  return r;
}

/** A citizen socket; resolves once its first sync arrived. */
async function citizen(url: string, sessionId?: string): Promise<{ s: Socket; sync: CitizenSync }> {
  const s = connect(url, '/citizen', sessionId ? { sessionId } : {});
  const sync = await next<CitizenSync>(s, 'sync');
  return { s, sync };
}

let navCount = 0;
async function navigator(url: string, opts: { capacity?: number; status?: 'available' | 'away'; role?: NavigatorRole } = {}): Promise<{ s: Socket; id: string }> {
  const username = `nav${++navCount}`;
  const accounts = new NavigatorAccounts(store, systemClock);
  const rec = await accounts.create({ username, password: 'correct horse', name: `导办员${navCount}`, skills: ['general'], capacity: opts.capacity ?? 3, ...(opts.role ? { role: opts.role } : {}) });
  const res = await fetch(`${url}/api/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'correct horse' }) });
  const { token } = (await res.json()) as { token: string };
  const s = connect(url, '/navigator', { token, status: opts.status ?? 'away' });
  await next(s, 'hello');
  return { s, id: rec.id };
}

beforeAll(async () => {
  env = await startClusterEnv();
  pool = openPostgres(env.schema.url, { max: 4 });
  // Three instances starting together: one builds the index while the others wait on the lock, then load it.
  [A, B, C] = await Promise.all([env.start('a'), env.start('b'), env.start('c')]);
  store = await PostgresHandoffStore.open(pool);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await pool?.end();
  await env?.dispose();
});

describe('several instances on PostgreSQL and Redis', () => {
  it('builds the search index once and every other instance loads it', () => {
    const ready = [A, B, C].map((i) => i.logs.find((l) => l.msg === 'search index ready'));
    expect(ready.every(Boolean)).toBe(true);
    expect(ready.filter((l) => l!.loadedFromCache === false)).toHaveLength(1);
    expect(new Set(ready.map((l) => l!.indexDir)).size).toBe(1);
  });

  it('queues citizens of different instances in one order and lets them chat with a navigator elsewhere', async () => {
    const nav = await navigator(B.url, { capacity: 1, status: 'away' });
    const people = [await citizen(A.url), await citizen(B.url), await citizen(C.url)];
    const positions: number[] = [];
    for (const p of people) positions.push((await call<{ handoff: { position: number } }>(p.s, 'handoff:request')).handoff.position);
    expect(positions).toEqual([1, 2, 3]);
    // The same standing whichever instance answers: the first citizen's session read on C, the others on their own.
    const elsewhere = await citizen(C.url, people[0]!.sync.sessionId);
    const standings = await Promise.all([elsewhere, ...people].map((p) => call<CitizenSync>(p.s, 'sync', { lastSeq: 0 })));
    expect(standings.map((st) => st.state.queue?.position)).toEqual([1, 1, 2, 3]);
    // The navigator on B is counted by every instance (away: online in no queue yet).
    expect(new Set(standings.map((st) => st.state.queue?.navigatorsOnline))).toEqual(new Set([0]));

    // Available: the offer comes for the first citizen (on A); accepting it moves the others up, on their own instances.
    const offered = next<{ conversation: { id: string } }>(nav.s, 'offer');
    const thirdMovesUp = next<QueueStatus>(people[2]!.s, 'queue', (q) => q.position === 2);
    await call(nav.s, 'status:set', { status: 'available' });
    const offer = await offered;
    const joined = next<MessageView>(people[0]!.s, 'message', (m) => m.event === 'navigator-joined');
    await call(nav.s, 'conversation:accept', { conversationId: offer.conversation.id });
    await joined;
    expect((await thirdMovesUp).position).toBe(2);

    // Both ways, A ↔ B.
    const toCitizen = next<MessageView>(people[0]!.s, 'message', (m) => m.sender === 'navigator');
    await call(nav.s, 'message:send', { conversationId: offer.conversation.id, clientId: 'n-1', text: '您好，我是导办员。' });
    expect((await toCitizen).text).toBe('您好，我是导办员。');
    const toNavigator = next<MessageView>(nav.s, 'message', (m) => m.sender === 'citizen');
    await call(people[0]!.s, 'message:send', { clientId: 'c-1', text: '我想办居住证' });
    expect((await toNavigator).text).toBe('我想办居住证');
  });

  it('never hands one conversation to two navigators, however many claim it at once', async () => {
    const navs = await Promise.all([A, B, C, A, B, C].map((i) => navigator(i.url, { capacity: 10, status: 'away' })));
    const waiting: string[] = [];
    for (const inst of [A, B, C, A, B]) {
      const p = await citizen(inst.url);
      await call(p.s, 'handoff:request');
      waiting.push((await store.getConversationBySession(p.sync.sessionId))!.id);
    }
    const attempts = navs.flatMap((n) => waiting.map((conversationId) =>
      call<{ conversation: { navigatorId: string } }>(n.s, 'conversation:accept', { conversationId }).then((r) => ({ conversationId, nav: n.id, won: r.conversation.navigatorId }), (e: { code?: string }) => ({ conversationId, nav: n.id, error: e.code }))));
    const results = await Promise.all(attempts);
    for (const id of waiting) {
      const wins = results.filter((r) => r.conversationId === id && !('error' in r));
      expect(wins).toHaveLength(1);
      expect(results.filter((r) => r.conversationId === id && 'error' in r).every((r) => 'error' in r && r.error === 'DB_ALREADY_CLAIMED')).toBe(true);
      const conv = (await store.getConversation(id))!;
      expect(conv).toMatchObject({ state: 'with-navigator', navigatorId: wins[0]!.nav });
      expect((await store.listEvents(id)).filter((e) => e.to === 'with-navigator')).toHaveLength(1);
    }
  });

  it('lets a supervisor on one instance watch a conversation served on another, with the citizen on a third', async () => {
    const nav = await navigator(B.url, { capacity: 5, status: 'away' });
    const boss = await navigator(C.url, { status: 'away', role: 'supervisor' });
    await call(boss.s, 'monitor:list');
    const p = await citizen(A.url);
    await call(p.s, 'handoff:request');
    const conv = (await store.getConversationBySession(p.sync.sessionId))!;
    // Accepted on B: C's supervisor hears of it through the monitor room.
    const started = next<MonitorChange>(boss.s, 'monitor:conversation', (c) => c.conversationId === conv.id && c.entry?.conversation.state === 'with-navigator');
    await call(nav.s, 'conversation:accept', { conversationId: conv.id });
    expect((await started).entry?.conversation.navigatorId).toBe(nav.id);
    const listed = await call<{ conversations: MonitoredConversation[] }>(boss.s, 'monitor:list');
    expect(listed.conversations.map((c) => c.conversation.id)).toContain(conv.id);

    // Watching it from C: the citizen's message sent on A arrives, and the read marks stay where they were.
    const { detail } = await call<{ detail: ConversationDetail }>(boss.s, 'monitor:open', { conversationId: conv.id });
    expect(detail.conversation.navigatorId).toBe(nav.id);
    const watched = next<MessageView>(boss.s, 'message', (m) => m.clientId === 'watched');
    await call(p.s, 'message:send', { clientId: 'watched', text: '跨实例旁听' });
    expect((await watched).text).toBe('跨实例旁听');
    expect(await store.getConversation(conv.id)).toMatchObject({ state: 'with-navigator', navigatorId: nav.id, navigatorReadSeq: 0, citizenReadSeq: 0 });
  });

  it('drains a stopping instance: its clients resume on another one with nothing lost', async () => {
    let livePorts = [C.port];
    const lb = await startBalancer(() => livePorts);
    try {
      const nav = await navigator(B.url, { capacity: 5, status: 'away' });
      // The citizen goes through the balancer (to C); its auth is re-read on every reconnect, with the last seq seen.
      const seen = new Map<number, MessageView>();
      let sessionId: string | undefined;
      const s = connect(lb.url, '/citizen', (cb) => cb({ ...(sessionId ? { sessionId } : {}), lastSeq: Math.max(0, ...seen.keys()) }), true);
      const record = (m: MessageView) => seen.set(m.seq, m);
      s.on('message', record);
      s.on('sync', (sync: CitizenSync) => { sessionId = sync.sessionId; sync.messages.forEach(record); });
      await next(s, 'sync');
      await call(s, 'handoff:request');
      const conv = (await store.getConversationBySession(sessionId!))!;
      await call(nav.s, 'conversation:accept', { conversationId: conv.id });
      await call(s, 'message:send', { clientId: 'before', text: '停机前的消息' });

      // C leaves the rotation and is stopped; the navigator keeps writing meanwhile.
      livePorts = [A.port, B.port];
      const draining = next(s, 'server:draining');
      const resumedSync = next<CitizenSync>(s, 'sync');
      const stopped = C.stop();
      await draining;
      for (let i = 0; i < 5; i++) await call(nav.s, 'message:send', { conversationId: conv.id, clientId: `during-${i}`, text: `第${i + 1}条` });
      expect(await stopped).toBe(0);
      // Back on A or B: the reconnect's sync replays what was missed, then the chat goes on both ways.
      const resumed = await resumedSync;
      expect(resumed.sessionId).toBe(sessionId);
      const after = next<MessageView>(nav.s, 'message', (m) => m.clientId === 'after');
      await call(s, 'message:send', { clientId: 'after', text: '换了实例之后' });
      await after;
      const transcript = await store.listMessages(conv.id);
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual(transcript.map((m) => m.seq).filter((q) => q <= Math.max(...seen.keys())));
      expect(transcript.filter((m) => m.sender === 'navigator').map((m) => m.text)).toEqual(['第1条', '第2条', '第3条', '第4条', '第5条']);
      expect([...seen.values()].filter((m) => m.sender === 'navigator')).toHaveLength(5);
    } finally {
      await lb.close();
    }
  });

  it('recovers from a Redis restart: relaying and shared presence come back, no instance crashes', async () => {
    const nav = await navigator(B.url, { capacity: 5, status: 'away' });
    const p = await citizen(A.url);
    await call(p.s, 'handoff:request');
    const conv = (await store.getConversationBySession(p.sync.sessionId))!;
    await call(nav.s, 'conversation:accept', { conversationId: conv.id });

    await env.redis.stop();
    await env.redis.start();
    // Relayed again once both instances have resubscribed: each try is persisted anyway, the citizen sees the first relayed.
    let relayed: MessageView | undefined;
    for (let i = 0; i < 60 && !relayed; i++) {
      const got = next<MessageView>(p.s, 'message', (m) => m.sender === 'navigator');
      await call(nav.s, 'message:send', { conversationId: conv.id, clientId: `r-${i}`, text: `重启后${i}` });
      relayed = await Promise.race([got, new Promise<undefined>((r) => setTimeout(r, 500))]);
    }
    expect(relayed?.text).toMatch(/^重启后/);
    // Presence was written again: A counts B's navigator for a newly queued citizen once it is available.
    await call(nav.s, 'status:set', { status: 'available' });
    const q = await citizen(A.url);
    let online = 0;
    for (let i = 0; i < 40 && online === 0; i++) {
      online = (await call<{ handoff: { position: number } }>(q.s, 'handoff:request'), (await call<CitizenSync>(q.s, 'sync', { lastSeq: 0 })).state.queue?.navigatorsOnline ?? 0);
      if (!online) await new Promise((r) => setTimeout(r, 250));
    }
    expect(online).toBeGreaterThan(0);
    expect([A, B].map((i) => i.proc.exitCode)).toEqual([null, null]);
  });
});
