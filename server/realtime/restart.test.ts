import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../handoff/index.ts';
import { once, ok, requestJson, startHarness, type Harness } from './testing/harness.ts';
import type { MessageView } from './protocol.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close().catch(() => undefined);
});

describe('crash and restart', () => {
  it('loses no acknowledged message and brings back every queued and active conversation', async () => {
    const first = await startHarness({ graceMs: 60_000 });
    open.push(first);
    const nav = await first.navigator({ username: 'chen', name: '陈导办', skills: ['public-security'], capacity: 1 });
    const active = await first.citizen();
    const offer = once(nav.socket, 'offer');
    await ok(active.socket, 'message:send', { clientId: 'a0', text: '转人工' });
    const conversationId = (await offer).conversation.id;
    await ok(nav.socket, 'conversation:accept', { conversationId });
    const acked: number[] = [];
    for (let i = 1; i <= 5; i++) {
      acked.push((await ok<{ seq: number }>(active.socket, 'message:send', { clientId: `a${i}`, text: `市民第${i}条` })).seq);
      acked.push((await ok<{ message: MessageView }>(nav.socket, 'message:send', { conversationId, clientId: `n${i}`, text: `导办员第${i}条` })).message.seq);
    }
    const waiting = await first.citizen();
    const queued = once(waiting.socket, 'state', (s) => s.responder === 'queue');
    await ok(waiting.socket, 'message:send', { clientId: 'w1', text: '转人工' });
    await queued;

    await first.crash();

    const second = await startHarness({ dataDir: first.dataDir, clock: new ManualClock(first.clock.now()), graceMs: 60_000 });
    open.push(second);
    // The citizen's page reconnects with its sessionId: the whole acknowledged transcript is there, still with the navigator.
    const back = await second.citizen({ sessionId: active.sync.sessionId });
    const seqs = back.sync.messages.map((m) => m.seq);
    for (const seq of acked) expect(seqs).toContain(seq);
    expect(back.sync.messages.filter((m) => m.text.startsWith('市民第') || m.text.startsWith('导办员第'))).toHaveLength(10);
    expect(back.sync.state).toMatchObject({ state: 'with-navigator', navigatorName: '陈导办' });
    // The waiting citizen is still first in the queue.
    const stillWaiting = await second.citizen({ sessionId: waiting.sync.sessionId });
    expect(stillWaiting.sync.state).toMatchObject({ state: 'queued', handoff: { position: 1 } });
    // The navigator's session survived too: reconnecting with the same token resumes the conversation within the grace period.
    const again = await second.navigator({ username: 'chen' }, { lastSeqs: { [conversationId]: acked[0]! } });
    expect(again.hello.conversations.map((c) => c.id)).toEqual([conversationId]);
    expect(again.hello.replay[0]?.messages.map((m) => m.seq)).toEqual(acked.slice(1));
    const reply = once(back.socket, 'message', (m) => m.sender === 'navigator' && m.text === '服务已恢复');
    await ok(again.socket, 'message:send', { conversationId, clientId: 'after-restart', text: '服务已恢复' });
    expect((await reply).seq).toBe(Math.max(...seqs) + 1);
  });

  it('requeues a conversation at the front when its navigator does not come back after a restart', async () => {
    const first = await startHarness({ graceMs: 30_000 });
    open.push(first);
    const nav = await first.navigator({ username: 'lin', skills: ['public-security'] });
    const citizen = await first.citizen();
    const offer = once(nav.socket, 'offer');
    await ok(citizen.socket, 'message:send', { clientId: 'a', text: '转人工' });
    const conversationId = (await offer).conversation.id;
    await ok(nav.socket, 'conversation:accept', { conversationId });
    await first.crash();

    const clock = new ManualClock(first.clock.now());
    const second = await startHarness({ dataDir: first.dataDir, clock, graceMs: 30_000 });
    open.push(second);
    const back = await second.citizen({ sessionId: citizen.sync.sessionId });
    expect(back.sync.state.responder).toBe('navigator');
    const requeued = once(back.socket, 'state', (s) => s.responder === 'queue');
    clock.advance(30_000);
    expect(await requeued).toMatchObject({ state: 'queued', handoff: { position: 1 } });
  });

  it('abandons the conversation of a waiting citizen whose page never comes back after a restart; one that does keeps its place', async () => {
    const first = await startHarness({ citizenGraceMs: 120_000 });
    open.push(first);
    const waitFor = async (citizen: Awaited<ReturnType<Harness['citizen']>>, clientId: string) => {
      const queued = once(citizen.socket, 'state', (s) => s.responder === 'queue');
      await ok(citizen.socket, 'message:send', { clientId, text: '转人工' });
      await queued;
      return (await first.store.getConversationBySession(citizen.sync.sessionId))!.id;
    };
    const gone = await first.citizen();
    const goneId = await waitFor(gone, 'g');
    const back = await first.citizen();
    const backId = await waitFor(back, 'b');
    await first.crash();

    const clock = new ManualClock(first.clock.now());
    const second = await startHarness({ dataDir: first.dataDir, clock, citizenGraceMs: 120_000 });
    open.push(second);
    clock.advance(60_000);
    const returned = await second.citizen({ sessionId: back.sync.sessionId });
    clock.advance(60_000);
    await second.service.settled();
    expect((await second.store.getConversation(goneId))?.state).toBe('abandoned');
    expect((await second.store.listEvents(goneId)).at(-1)).toMatchObject({ to: 'abandoned', actor: 'system', reason: 'citizen-disconnected' });
    expect((await second.store.getConversation(backId))?.state).toBe('queued');
    expect((await ok<{ state: { handoff?: { position: number } } }>(returned.socket, 'sync', { lastSeq: 0 })).state.handoff?.position).toBe(1);
  });

  it('tracks after a restart only citizens who have had a socket: a conversation begun over HTTP counts once a socket joins it', async () => {
    const h = await startHarness();
    open.push(h);
    const { sessionId } = (await requestJson(h, 'POST', '/api/chat', { message: '居住证怎么办' })).body as { sessionId: string };
    expect((await h.store.getConversationBySession(sessionId))?.citizenSocketAt).toBeNull();
    h.clock.advance(5000);
    await h.citizen({ sessionId });
    expect((await h.store.getConversationBySession(sessionId))?.citizenSocketAt).toBe(h.clock.now());
    const bySocket = await h.citizen();
    expect((await h.store.getConversationBySession(bySocket.sync.sessionId))?.citizenSocketAt).toBe(h.clock.now());
  });
});
