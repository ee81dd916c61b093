/**
 * Waiting citizens after the whole service restarts, on two instances sharing PostgreSQL and Redis: each
 * instance gives every waiting citizen who had a socket the grace period, asks every instance (socket.io's
 * Redis adapter) whether they came back, and abandons the conversations nobody came back to exactly once.
 * The same when one instance dies while the others run: the survivors adopt its waiting citizens at their
 * next sweep. The instances run in this process with manual clocks, so the grace period passes without
 * waiting for it.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../handoff/clock.ts';
import { HandoffService } from '../handoff/service.ts';
import { fixtureKb, OPEN_TIME } from '../handoff/testing/fixture-kb.ts';
import { attachRealtime, CITIZEN_NAMESPACE, SOCKET_PATH, type CitizenSync } from '../realtime/index.ts';
import { openPostgres, PostgresHandoffStore, type PgPool } from '../storage/postgres/index.ts';
import { RedisCluster } from './cluster.ts';
import { useRedisAdapter } from './socket-adapter.ts';
import { PrivateRedis } from './testing/cluster-harness.ts';
import { createTestSchema, type TestSchema } from './testing/postgres-schema.ts';

const GRACE_MS = 120_000;
const SWEEP_MS = 5000;
const kb = fixtureKb();

let schema: TestSchema;
let redis: PrivateRedis;
const prefix = `daoban-test-citizens-${process.pid}:`;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  schema = await createTestSchema();
  redis = await PrivateRedis.start();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await redis?.stop();
  await schema?.drop();
});

async function openStore(): Promise<{ pool: PgPool; store: PostgresHandoffStore }> {
  const pool = openPostgres(schema.url, { max: 4 });
  closers.push(() => pool.end());
  return { pool, store: await PostgresHandoffStore.open(pool) };
}

/** One instance as server/app.ts wires it (realtime, Redis adapter, cluster port, then start), on a manual clock. */
async function startInstance(name: string, now: number) {
  const { store } = await openStore();
  const cluster = await RedisCluster.connect({ url: redis.url, prefix, instanceId: name });
  const clock = new ManualClock(now);
  const errors: Array<{ msg: string; e: unknown }> = [];
  const service = new HandoffService({
    store, kb: () => kb, clock, cluster, citizenGraceMs: GRACE_MS, graceMs: 10 * GRACE_MS, sweepMs: SWEEP_MS,
    log: { error: (e, msg) => errors.push({ msg, e }) },
  });
  const away: string[] = [];
  service.events.on('citizen-away', (id) => away.push(id));
  const server = http.createServer();
  const realtime = attachRealtime(server, { service, cluster: { instanceId: name }, now: () => clock.now() });
  const closeAdapter = useRedisAdapter(realtime.io, { url: redis.url, prefix, instanceId: name });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  await service.start();
  let stopped = false;
  /** Stops the instance as a crash would for its citizens: its service hears nothing more, then its sockets and Redis connections go. */
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await service.close();
    await realtime.close();
    await closeAdapter();
    await cluster.close();
  };
  closers.push(stop);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** Moves this instance's time on in steps no longer than a sweep, letting each sweep and grace period run. */
  const elapse = async (ms: number) => {
    for (let left = ms; left > 0; left -= SWEEP_MS) {
      clock.advance(Math.min(SWEEP_MS, left));
      await service.settled();
    }
  };
  return { name, url, clock, service, errors, away, stop, elapse };
}

/** A citizen's page reconnecting with its sessionId; resolves once its sync arrived. */
async function reconnect(url: string, sessionId: string): Promise<{ socket: Socket; sync: CitizenSync }> {
  const socket = io(url + CITIZEN_NAMESPACE, { path: SOCKET_PATH, transports: ['websocket'], forceNew: true, reconnection: false, auth: { sessionId } });
  closers.push(async () => socket.disconnect());
  const sync = await new Promise<CitizenSync>((resolve, reject) => {
    socket.once('sync', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, sync };
}

describe('waiting citizens after a restart of every instance', () => {
  it('abandons, once, the conversations nobody came back to; a citizen back on the other instance keeps their place', async () => {
    // Before the crash: what the instances that died left in the database.
    const { store } = await openStore();
    const before = new HandoffService({ store, kb: () => kb, clock: new ManualClock(OPEN_TIME) });
    await before.start();
    const gone = await before.openCitizenSocket(undefined);
    const back = await before.openCitizenSocket(undefined);
    const httpOnly = await before.openSession();
    const served = await before.openCitizenSocket(undefined);
    for (const c of [gone, back, httpOnly, served]) await before.citizenRequestsHandoff(c.sessionId);
    await before.createNavigator({ username: 'sun', password: 'correct horse battery', name: '孙导办', skills: ['general'] });
    await before.accept((await store.getNavigatorByUsername('sun'))!, served.id);
    await before.settled();
    await before.close();

    const [a, b] = await Promise.all([startInstance('a', OPEN_TIME), startInstance('b', OPEN_TIME)]);
    for (const inst of [a, b]) expect(new Set(inst.away)).toEqual(new Set([gone.id, back.id]));

    // Within the grace period one citizen's page reconnects, to b: a has to ask b through Redis.
    a.clock.advance(GRACE_MS / 2);
    b.clock.advance(GRACE_MS / 2);
    const returned = await reconnect(b.url, back.sessionId);
    expect(returned.sync.state.responder).toBe('queue');

    // The grace period runs out on both instances at once.
    a.clock.advance(GRACE_MS / 2);
    b.clock.advance(GRACE_MS / 2);
    await Promise.all([a.service.citizensSettled(), b.service.citizensSettled()]);

    const state = async (id: string) => (await store.getConversation(id))!.state;
    expect(await state(gone.id)).toBe('abandoned');
    const goneEvents = await store.listEvents(gone.id);
    expect(goneEvents.filter((e) => e.to === 'abandoned')).toHaveLength(1);
    expect(goneEvents.at(-1)).toMatchObject({ from: 'queued', to: 'abandoned', actor: 'system', reason: 'citizen-disconnected' });
    expect((await store.listMessages(gone.id)).filter((m) => (m.data as { event?: string } | null)?.event === 'abandoned')).toHaveLength(1);
    expect(await state(back.id)).toBe('queued');
    expect(await state(httpOnly.id)).toBe('queued');
    expect(await state(served.id)).toBe('with-navigator');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});

describe('waiting citizens of an instance that dies while the others run', () => {
  it('are adopted by the survivors at their next sweep and abandoned once; one back on a survivor keeps their place', async () => {
    const [a, b, dying] = await Promise.all([startInstance('a', OPEN_TIME), startInstance('b', OPEN_TIME), startInstance('dying', OPEN_TIME)]);
    const { store } = await openStore();
    const gone = await dying.service.openCitizenSocket(undefined);
    const back = await dying.service.openCitizenSocket(undefined);
    for (const c of [gone, back]) {
      await reconnect(dying.url, c.sessionId);
      await dying.service.citizenRequestsHandoff(c.sessionId);
    }
    // Only this test's conversations: the database is shared with the test above.
    const mine = (away: string[]) => away.filter((id) => id === gone.id || id === back.id);
    await Promise.all([a.elapse(SWEEP_MS), b.elapse(SWEEP_MS)]);
    expect([mine(a.away), mine(b.away)]).toEqual([[], []]);

    await dying.stop();
    const returned = await reconnect(b.url, back.sessionId);
    expect(returned.sync.state.responder).toBe('queue');
    await Promise.all([a.elapse(SWEEP_MS), b.elapse(SWEEP_MS)]);
    expect([mine(a.away), mine(b.away)]).toEqual([[gone.id], [gone.id]]);

    await Promise.all([a.elapse(GRACE_MS), b.elapse(GRACE_MS)]);
    const state = async (id: string) => (await store.getConversation(id))!.state;
    expect(await state(gone.id)).toBe('abandoned');
    expect((await store.listEvents(gone.id)).filter((e) => e.to === 'abandoned')).toHaveLength(1);
    expect(await state(back.id)).toBe('queued');
    expect([mine(a.away), mine(b.away)]).toEqual([[gone.id], [gone.id]]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
