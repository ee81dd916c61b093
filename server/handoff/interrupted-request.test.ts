/**
 * A request for a person that a crash interrupted between its two moves leaves the conversation in
 * 'handoff-requested', where nothing moves it on. Recovery finishes it as the request would have (recovery.ts,
 * request-routing.ts): into the queue, to after-hours by the calendar, or to the ticket the citizen's message
 * already became; then the usual waiting rules apply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../storage/handoff-store.ts';
import { SqliteHandoffStore } from '../storage/index.ts';
import type { ClusterPort } from './cluster.ts';
import { ManualClock } from './clock.ts';
import { STUCK_REQUEST_MS } from './recovery.ts';
import { HandoffService } from './service.ts';
import { AFTER_HOURS_TIME, fixtureKb, OPEN_TIME, RP_FIRST } from './testing/fixture-kb.ts';
import { startTestInstance } from './testing/test-instance.ts';
import { LoopbackCluster } from './testing/loopback-cluster.ts';

const GRACE_MS = 120_000;
const SWEEP_MS = 5000;

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function startInstance(store: SqliteHandoffStore, now: number, cluster?: ClusterPort) {
  const instance = await startTestInstance(store, { now, cluster, sweepMs: SWEEP_MS, citizenGraceMs: GRACE_MS });
  open.push(instance.service);
  return instance;
}

/**
 * What a crash right after requestHandoff's (or leaveMessage's) first move leaves in the store: a conversation
 * whose citizen had a socket, in 'handoff-requested' since `at`.
 */
async function interruptedRequest(store: SqliteHandoffStore, at: number, reason: string): Promise<ConversationRecord> {
  const before = new HandoffService({ store, kb: () => fixtureKb(), clock: new ManualClock(at) });
  await before.start();
  const conv = await before.openCitizenSocket(undefined);
  await before.close();
  const next = await store.transition(conv.id, conv.version, {
    to: 'handoff-requested', actor: 'bot', reason, at,
    patch: { itemId: RP_FIRST.id, packet: { reason, confidence: 0.3, summary: '居住证', situation: {}, requestedAt: at, itemId: RP_FIRST.id } },
  });
  return next!;
}

function openStore(): SqliteHandoffStore {
  const store = SqliteHandoffStore.open(':memory:');
  open.push(store);
  return store;
}

describe('a request for a person interrupted by a crash', () => {
  it('is queued at start as the request would have been, and the waiting rules then apply', async () => {
    const store = openStore();
    const conv = await interruptedRequest(store, OPEN_TIME, 'emergency');
    const restarted = await startInstance(store, OPEN_TIME + 10_000);

    const queued = (await store.getConversation(conv.id))!;
    expect(queued).toMatchObject({ state: 'queued', skill: 'public-security', priority: 2, queuedAt: OPEN_TIME + 10_000 });
    expect((await store.listEvents(conv.id)).at(-1)).toMatchObject({ from: 'handoff-requested', to: 'queued', actor: 'system', reason: 'routed-to-skill' });
    // Its citizen had a socket and has none now: the grace period, then abandoned.
    expect(restarted.away).toEqual([conv.id]);
    await restarted.advance(GRACE_MS);
    expect((await store.getConversation(conv.id))!.state).toBe('abandoned');
    expect(restarted.errors).toEqual([]);
  });

  it('goes to after-hours when the service restarts outside working hours', async () => {
    const store = openStore();
    const conv = await interruptedRequest(store, AFTER_HOURS_TIME, 'low-confidence');
    const restarted = await startInstance(store, AFTER_HOURS_TIME + 10_000);
    expect((await store.getConversation(conv.id))!.state).toBe('after-hours');
    expect((await store.listMessages(conv.id)).at(-1)).toMatchObject({ sender: 'system', data: { event: 'after-hours' } });
    expect(restarted.away).toEqual([]);
  });

  it('goes to its ticket when the citizen\'s message was saved before the crash, and the citizen is told the reference', async () => {
    const store = openStore();
    const conv = await interruptedRequest(store, OPEN_TIME, 'leave-message');
    const ticket = await store.createTicket({
      id: 't_interrupted', conversationId: conv.id, name: null, phone: '13800138000', email: null, question: '居住证怎么办',
      departmentId: 'bj-psb', skill: 'public-security', summary: null, createdAt: OPEN_TIME,
    });
    await startInstance(store, OPEN_TIME + 10_000);
    expect((await store.getConversation(conv.id))!.state).toBe('ticket');
    const told = (await store.listMessages(conv.id)).at(-1)!;
    expect(told).toMatchObject({ sender: 'system', data: { event: 'ticket-created' } });
    expect(told.text).toContain(ticket.ref);
    expect(await store.listTickets({ conversationId: conv.id })).toHaveLength(1);
  });

  it('is left alone by a running instance while it may still be in flight, then moved on once by two sweeping instances', async () => {
    const store = openStore();
    const [ca, cb] = LoopbackCluster.pair('a', 'b');
    const [a, b] = [await startInstance(store, OPEN_TIME, ca), await startInstance(store, OPEN_TIME, cb)];
    // Another instance's request is between its two moves (or that instance just died there).
    const conv = await interruptedRequest(store, OPEN_TIME, 'user-request');
    await Promise.all([a.advance(SWEEP_MS), b.advance(SWEEP_MS)]);
    expect((await store.getConversation(conv.id))!.state).toBe('handoff-requested');

    for (let t = SWEEP_MS; t < STUCK_REQUEST_MS; t += SWEEP_MS) await Promise.all([a.advance(SWEEP_MS), b.advance(SWEEP_MS)]);
    expect((await store.getConversation(conv.id))!.state).toBe('queued');
    expect((await store.listEvents(conv.id)).filter((e) => e.to === 'queued')).toHaveLength(1);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
