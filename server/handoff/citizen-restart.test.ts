/**
 * Waiting citizens across a restart: a new service process over the same store gives each waiting citizen who
 * had a socket the grace period to come back (citizen-presence.ts, recovery.ts), and abandons the conversation
 * if they do not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from '../storage/index.ts';
import { OPEN_TIME } from './testing/fixture-kb.ts';
import { startTestInstance } from './testing/test-instance.ts';

const GRACE_MS = 120_000;

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

/** One service process over `store`, its clock at `now`; `sockets` answers which citizens are connected somewhere. */
async function startInstance(store: SqliteHandoffStore, now: number, sockets: ReadonlySet<string>) {
  const instance = await startTestInstance(store, { now, sockets, citizenGraceMs: GRACE_MS, graceMs: 90_000 });
  open.push(instance.service);
  return instance;
}

/**
 * Before the crash: a citizen whose widget socket opened the conversation waits in the queue, another waits
 * having used only plain HTTP, and a third is being served by a navigator. Then the process is gone.
 */
async function beforeTheCrash() {
  const store = SqliteHandoffStore.open(':memory:');
  open.push(store);
  const sockets = new Set<string>();
  const first = await startInstance(store, OPEN_TIME, sockets);
  const { service } = first;
  const waiting = await service.openCitizenSocket(undefined);
  await service.citizenRequestsHandoff(waiting.sessionId);
  const httpOnly = await service.openSession();
  await service.citizenRequestsHandoff(httpOnly.sessionId);
  const served = await service.openCitizenSocket(undefined);
  await service.citizenRequestsHandoff(served.sessionId);
  await service.createNavigator({ username: 'zhao', password: 'correct horse battery', name: '赵导办', skills: ['public-security'] });
  const navigator = (await store.getNavigatorByUsername('zhao'))!;
  await service.accept(navigator, served.id);
  await service.settled();
  await service.close();
  const state = async (id: string) => (await store.getConversation(id))!.state;
  expect([await state(waiting.id), await state(httpOnly.id), await state(served.id)]).toEqual(['queued', 'queued', 'with-navigator']);
  return { store, sockets, crashedAt: first.clock.now(), waiting: waiting.id, httpOnly: httpOnly.id, served: served.id, navigator, state };
}

describe('waiting citizens after a restart', () => {
  it('abandons the conversation of a citizen who never reconnects, once the grace period has run out', async () => {
    const t = await beforeTheCrash();
    const second = await startInstance(t.store, t.crashedAt, t.sockets);
    expect(second.away).toEqual([t.waiting]);

    await second.advance(GRACE_MS - 1);
    expect(await t.state(t.waiting)).toBe('queued');
    await second.advance(1);
    expect(await t.state(t.waiting)).toBe('abandoned');
    // As citizen-presence abandons after a disconnect: by the system, with the same reason, told to everyone.
    expect((await t.store.listEvents(t.waiting)).at(-1)).toMatchObject({ from: 'queued', to: 'abandoned', actor: 'system', reason: 'citizen-disconnected' });
    expect((await t.store.listMessages(t.waiting)).at(-1)).toMatchObject({ sender: 'system', data: { event: 'abandoned' } });
    expect(second.states).toContain(`${t.waiting}:abandoned`);
    expect(second.errors).toEqual([]);
  });

  it('keeps the place of a citizen who reconnects within the grace period, here or on another instance', async () => {
    const t = await beforeTheCrash();
    const second = await startInstance(t.store, t.crashedAt, t.sockets);
    await second.advance(GRACE_MS - 1000);
    second.service.citizenConnected(t.waiting);
    await second.advance(GRACE_MS);
    expect(await t.state(t.waiting)).toBe('queued');

    // Another restart; this time the citizen's page reconnects through another instance.
    await second.service.close();
    const third = await startInstance(t.store, second.clock.now(), t.sockets);
    expect(third.away).toContain(t.waiting);
    t.sockets.add(t.waiting);
    await third.advance(GRACE_MS);
    expect(await t.state(t.waiting)).toBe('queued');
    expect(third.errors).toEqual([]);
  });

  it('starts no grace period for a citizen already connected on another instance when it starts', async () => {
    const t = await beforeTheCrash();
    t.sockets.add(t.waiting);
    const second = await startInstance(t.store, t.crashedAt, t.sockets);
    expect(second.away).toEqual([]);
    await second.advance(GRACE_MS);
    expect(await t.state(t.waiting)).toBe('queued');
  });

  it('leaves alone a conversation a navigator is serving, and one whose citizen only used plain HTTP', async () => {
    const t = await beforeTheCrash();
    const eventsBefore = async () => ({ served: (await t.store.listEvents(t.served)).length, http: (await t.store.listEvents(t.httpOnly)).length });
    const before = await eventsBefore();
    const second = await startInstance(t.store, t.crashedAt, t.sockets);
    second.service.navigatorConnected(t.navigator, 'away');
    await second.advance(3 * GRACE_MS);
    expect(await t.state(t.served)).toBe('with-navigator');
    expect(await t.state(t.httpOnly)).toBe('queued');
    expect(await eventsBefore()).toEqual(before);
    expect(second.away).not.toContain(t.served);
    expect(second.away).not.toContain(t.httpOnly);
  });

  it('abandons once when several instances run out of patience together, and no loser reports an error', async () => {
    const t = await beforeTheCrash();
    const [a, b] = [await startInstance(t.store, t.crashedAt, t.sockets), await startInstance(t.store, t.crashedAt, t.sockets)];
    expect([a.away, b.away]).toEqual([[t.waiting], [t.waiting]]);
    a.clock.advance(GRACE_MS);
    b.clock.advance(GRACE_MS);
    await Promise.all([a.service.settled(), b.service.settled()]);
    expect((await t.store.listEvents(t.waiting)).filter((e) => e.to === 'abandoned')).toHaveLength(1);
    expect((await t.store.listMessages(t.waiting)).filter((m) => (m.data as { event?: string } | null)?.event === 'abandoned')).toHaveLength(1);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
