/**
 * Waiting citizens of an instance that died while the others keep running (multi-instance mode): their sockets
 * went with it and nobody heard them close, so the survivors adopt them at their next sweep (recovery.ts,
 * citizen-presence.ts): a grace period unless the citizen is connected on some instance, then abandonment.
 * Two survivors share one store through an in-process cluster, each on its own manual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from '../storage/index.ts';
import type { ClusterPort } from './cluster.ts';
import { OPEN_TIME } from './testing/fixture-kb.ts';
import { startTestInstance } from './testing/test-instance.ts';
import { LoopbackCluster } from './testing/loopback-cluster.ts';

const GRACE_MS = 120_000;
const SWEEP_MS = 5000;

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

/** `sockets`: the conversations whose citizen has a socket open on some instance (what the realtime layer answers). */
async function startInstance(store: SqliteHandoffStore, sockets: ReadonlySet<string>, cluster?: ClusterPort) {
  const instance = await startTestInstance(store, { now: OPEN_TIME, sockets, cluster, sweepMs: SWEEP_MS, citizenGraceMs: GRACE_MS, graceMs: 90_000 });
  open.push(instance.service);
  /** Moves this instance's time on in steps no longer than a sweep, letting each sweep and grace period run. */
  const elapse = (ms: number) => instance.advance(ms, SWEEP_MS);
  return { ...instance, elapse };
}

/** Two running instances, then a third whose citizen, connected to it, waits in the queue when it dies. */
async function survivorsOfADeadInstance() {
  const store = SqliteHandoffStore.open(':memory:');
  open.push(store);
  const sockets = new Set<string>();
  const [ca, cb] = LoopbackCluster.pair('a', 'b');
  const a = await startInstance(store, sockets, ca);
  const b = await startInstance(store, sockets, cb);

  const dying = await startInstance(store, sockets, new LoopbackCluster('dying'));
  const conv = await dying.service.openCitizenSocket(undefined);
  sockets.add(conv.id);
  await dying.service.citizenRequestsHandoff(conv.sessionId);
  await dying.service.settled();
  // It dies: its sockets are gone, and no disconnect was handled anywhere.
  await dying.service.close();
  sockets.delete(conv.id);

  const state = async () => (await store.getConversation(conv.id))!.state;
  const abandonments = async () => ({
    events: (await store.listEvents(conv.id)).filter((e) => e.to === 'abandoned').length,
    messages: (await store.listMessages(conv.id)).filter((m) => (m.data as { event?: string } | null)?.event === 'abandoned').length,
  });
  expect(await state()).toBe('queued');
  return { store, sockets, a, b, id: conv.id, state, abandonments };
}

describe('waiting citizens of an instance that died', () => {
  it('are adopted by a survivor at its next sweep and abandoned once the grace period has run out', async () => {
    const t = await survivorsOfADeadInstance();
    expect(t.a.away).toEqual([]);
    await t.a.elapse(SWEEP_MS);
    expect(t.a.away).toEqual([t.id]);

    t.a.clock.advance(GRACE_MS - 1);
    await t.a.service.settled();
    expect(await t.state()).toBe('queued');
    t.a.clock.advance(1);
    await t.a.service.settled();
    expect(await t.state()).toBe('abandoned');
    expect((await t.store.listEvents(t.id)).at(-1)).toMatchObject({ from: 'queued', to: 'abandoned', actor: 'system', reason: 'citizen-disconnected' });
    expect(t.a.errors).toEqual([]);
  });

  it('are not restarted on every sweep: one grace period, counted from the adoption', async () => {
    const t = await survivorsOfADeadInstance();
    await t.a.elapse(SWEEP_MS);
    // 23 more sweeps run within the grace period.
    await t.a.elapse(GRACE_MS - 1);
    expect(t.a.away).toEqual([t.id]);
    expect(await t.state()).toBe('queued');
    // The sweep due at the same moment as the end of the grace period finds it being acted on.
    await t.a.elapse(1);
    expect(await t.state()).toBe('abandoned');
    expect(t.a.away).toEqual([t.id]);
  });

  it('keep their place when connected on another instance, at the sweep or when the grace period ends', async () => {
    const t = await survivorsOfADeadInstance();
    // Reconnected to b before a swept: no grace period at all.
    t.sockets.add(t.id);
    await t.a.elapse(3 * GRACE_MS);
    expect(t.a.away).toEqual([]);
    expect(await t.state()).toBe('queued');

    // Gone again (b died too, say): adopted; back somewhere just before the grace period ends.
    t.sockets.delete(t.id);
    await t.a.elapse(SWEEP_MS);
    expect(t.a.away).toEqual([t.id]);
    await t.a.elapse(GRACE_MS - 1);
    t.sockets.add(t.id);
    await t.a.elapse(1);
    expect(await t.state()).toBe('queued');
    expect(t.a.errors).toEqual([]);
  });

  it('get a whole grace period again when they leave again after coming back elsewhere', async () => {
    const t = await survivorsOfADeadInstance();
    await t.a.elapse(SWEEP_MS);
    await t.a.elapse(55_000);
    t.sockets.add(t.id); // back on b; a hears of it at its next sweep
    await t.a.elapse(40_000);
    t.sockets.delete(t.id); // gone again, 100 s after the adoption; the next sweep adopts anew
    await t.a.elapse(SWEEP_MS);
    expect(t.a.away).toEqual([t.id, t.id]);
    // The first grace period would have ended 20 s from now.
    await t.a.elapse(GRACE_MS - 1);
    expect(await t.state()).toBe('queued');
    await t.a.elapse(1);
    expect(await t.state()).toBe('abandoned');
  });

  it('are abandoned once when both survivors run out of patience together, and the loser reports no error', async () => {
    const t = await survivorsOfADeadInstance();
    await Promise.all([t.a.elapse(SWEEP_MS), t.b.elapse(SWEEP_MS)]);
    expect([t.a.away, t.b.away]).toEqual([[t.id], [t.id]]);
    t.a.clock.advance(GRACE_MS);
    t.b.clock.advance(GRACE_MS);
    await Promise.all([t.a.service.settled(), t.b.service.settled()]);
    expect(await t.state()).toBe('abandoned');
    expect(await t.abandonments()).toEqual({ events: 1, messages: 1 });
    expect([...t.a.errors, ...t.b.errors]).toEqual([]);
  });

  it('are looked up in one question to the cluster per sweep, however many wait', async () => {
    const t = await survivorsOfADeadInstance();
    // two more of the dead instance's citizens: one back on b already, one not
    const back = await t.b.service.openCitizenSocket(undefined);
    const gone = await t.b.service.openCitizenSocket(undefined);
    for (const c of [back, gone]) await t.b.service.citizenRequestsHandoff(c.sessionId);
    await t.b.service.settled();
    t.sockets.add(back.id);
    const asked: string[][] = [];
    t.a.service.useCitizenSockets(async (ids) => {
      asked.push([...ids].sort());
      return new Set(ids.filter((id) => t.sockets.has(id)));
    });
    await t.a.elapse(SWEEP_MS);
    expect(asked).toEqual([[back.id, gone.id, t.id].sort()]);
    expect(t.a.away.sort()).toEqual([gone.id, t.id].sort());
    expect(t.a.errors).toEqual([]);
  });
});
