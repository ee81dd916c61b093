import { afterEach, describe, expect, it } from 'vitest';
import { AFTER_HOURS_TIME, NEXT_OPENING } from '../handoff/testing/fixture-kb.ts';
import { call, collect, once, ok, startHarness, type Harness } from './testing/harness.ts';
import type { CitizenState, HandoffInfo, QueueStatus, TicketView } from './protocol.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const offline = (harness: Harness, id: string) =>
  new Promise<void>((resolve) => {
    const off = harness.service.events.on('navigator-status', (nid, status) => {
      if (nid === id && status === 'offline') {
        off();
        resolve();
      }
    });
  });

describe('queue and routing', () => {
  it('gives an unanswered offer to the next navigator when it times out', async () => {
    h = await startHarness({ offerTimeoutMs: 20_000 });
    const first = await h.navigator({ username: 'sun', skills: ['public-security'] });
    const second = await h.navigator({ username: 'zhou', skills: ['public-security'] });
    const { socket: citizen } = await h.citizen();
    const offered = once(first.socket, 'offer');
    await ok(citizen, 'message:send', { clientId: 'a', text: '转人工' });
    const conversationId = (await offered).conversation.id;

    const withdrawn = once(first.socket, 'offer:withdrawn');
    const away = once(first.socket, 'status', (s) => s.status === 'away');
    const available = once(second.socket, 'status', (s) => s.status === 'available');
    await ok(second.socket, 'status:set', { status: 'away' });
    await ok(second.socket, 'status:set', { status: 'available' });
    expect(await available).toEqual({ status: 'available', cause: 'set' });
    const next = once(second.socket, 'offer');
    h.clock.advance(20_000);
    expect(await withdrawn).toEqual({ conversationId, reason: 'offer-timeout' });
    expect(await away).toEqual({ status: 'away', cause: 'offer-unanswered' });
    expect((await next).conversation.id).toBe(conversationId);
    // The first navigator can no longer take it.
    expect(await call(first.socket, 'conversation:accept', { conversationId }, true)).toMatchObject({ ok: false, error: { code: 'DB_ALREADY_CLAIMED' } });
    await ok(second.socket, 'conversation:accept', { conversationId });
  });

  it('returns a disconnected navigator\'s conversations to the front of the queue after the grace period', async () => {
    h = await startHarness({ graceMs: 45_000 });
    const nav = await h.navigator({ username: 'wu', skills: ['public-security'], capacity: 1 });
    const one = await h.citizen();
    const offer = once(nav.socket, 'offer');
    await ok(one.socket, 'message:send', { clientId: 'a', text: '转人工' });
    const conversationId = (await offer).conversation.id;
    await ok(nav.socket, 'conversation:accept', { conversationId });
    const two = await h.citizen();
    const twoQueued = once(two.socket, 'state', (s) => s.responder === 'queue');
    await ok(two.socket, 'message:send', { clientId: 'b', text: '转人工' });
    expect((await twoQueued).handoff?.position).toBe(1);

    // Disconnect and reconnect within the grace period: nothing moves.
    let gone = offline(h, nav.id);
    nav.socket.disconnect();
    await gone;
    const again = await h.navigator({ username: 'wu' });
    expect(h.clock.pendingTimers).toBe(0);
    h.clock.advance(45_000);
    expect((await h.store.getConversation(conversationId))?.state).toBe('with-navigator');

    // Disconnect for longer than the grace period: back in the queue, ahead of the one who was waiting.
    gone = offline(h, nav.id);
    again.socket.disconnect();
    await gone;
    const requeued = once(one.socket, 'state', (s: CitizenState) => s.responder === 'queue');
    const notice = once(one.socket, 'message', (m) => m.event === 'navigator-left');
    const pushedBack = once(two.socket, 'queue', (q: QueueStatus) => q.position === 2);
    h.clock.advance(45_000);
    expect(await requeued).toMatchObject({ state: 'queued', handoff: { position: 1 } });
    await notice;
    await pushedBack;
    const events = await h.store.listEvents(conversationId);
    expect(events.at(-1)).toMatchObject({ from: 'with-navigator', to: 'queued', actor: 'system', reason: 'navigator-disconnected' });
  });

  it('abandons a waiting conversation whose citizen closed the page for longer than the grace period; a reload keeps the place', async () => {
    h = await startHarness({ citizenGraceMs: 120_000, offerTimeoutMs: 3_600_000 });
    const away = (conversationId: string) => new Promise<number>((resolve) => {
      const off = h!.service.events.on('citizen-away', (id, ms) => {
        if (id === conversationId) {
          off();
          resolve(ms);
        }
      });
    });
    const nav = await h.navigator({ username: 'qian', skills: ['public-security'] });
    const first = await h.citizen();
    const offered = once(nav.socket, 'offer');
    await ok(first.socket, 'message:send', { clientId: 'a', text: '转人工' });
    const conversationId = (await offered).conversation.id;

    // The page reloads within the grace period: the conversation keeps its place and its offer.
    let gone = away(conversationId);
    first.socket.disconnect();
    expect(await gone).toBe(120_000);
    const again = await h.citizen({ sessionId: first.sync.sessionId });
    h.clock.advance(119_000);
    expect((await h.store.getConversation(conversationId))?.state).toBe('offered');
    h.clock.advance(120_000);
    expect((await h.store.getConversation(conversationId))?.state).not.toBe('abandoned');

    // Gone for good: the offer is withdrawn and the conversation abandoned, by the system, with the reason.
    gone = away(conversationId);
    again.socket.disconnect();
    await gone;
    const withdrawn = once(nav.socket, 'offer:withdrawn');
    h.clock.advance(120_000);
    expect(await withdrawn).toEqual({ conversationId, reason: 'citizen-left' });
    const events = await h.store.listEvents(conversationId);
    expect(events.at(-1)).toMatchObject({ to: 'abandoned', actor: 'system', reason: 'citizen-disconnected' });

  });

  it('lets exactly one of many navigators racing for the same conversation win', async () => {
    h = await startHarness();
    const navs = [];
    for (let i = 0; i < 8; i++) navs.push(await h.navigator({ username: `racer${i}`, skills: ['public-security'] }, { status: 'away' }));
    const { socket: citizen } = await h.citizen();
    const queued = once(navs[0]!.socket, 'queue', (q) => q.skills.some((s) => s.skill === 'public-security' && s.waiting.length === 1));
    await ok(citizen, 'message:send', { clientId: 'a', text: '转人工' });
    const conversationId = (await queued).skills.find((s) => s.skill === 'public-security')!.waiting[0]!.conversationId;
    const results = await Promise.all(navs.map((n) => call(n.socket, 'conversation:accept', { conversationId }, true)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code))).toEqual(Array(7).fill('DB_ALREADY_CLAIMED'));
    const events = await h.store.listEvents(conversationId);
    expect(events.filter((e) => e.to === 'with-navigator')).toHaveLength(1);
  });

  it('routes by skill from the item discussed and refuses navigators without it', async () => {
    h = await startHarness();
    const housing = await h.navigator({ username: 'zheng', skills: ['housing'] });
    const offers = collect(housing.socket, 'offer');
    const { socket: citizen } = await h.citizen();
    const queued = once(citizen, 'state', (s) => s.responder === 'queue');
    await ok(citizen, 'message:send', { clientId: 'a', text: '转人工' });
    await queued;
    const snapshot = await ok<{ queue: { skills: Array<{ skill: string; waiting: Array<{ conversationId: string }> }> } }>(housing.socket, 'queue:get', {});
    const entry = snapshot.queue.skills.find((s) => s.skill === 'public-security')!.waiting[0]!;
    expect(await call(housing.socket, 'conversation:accept', { conversationId: entry.conversationId }, true)).toMatchObject({ ok: false, error: { code: 'DB_SKILL_MISMATCH' } });
    expect(offers).toEqual([]);
  });

  it('after hours: tells when service opens, recommends the department, and turns a left message into a ticket navigators see next morning', async () => {
    h = await startHarness();
    h.clock.set(AFTER_HOURS_TIME);
    const { socket: citizen } = await h.citizen();
    await ok(citizen, 'message:send', { clientId: 'a', text: '居住证怎么办' });
    const afterHours = once(citizen, 'state', (s) => s.state === 'after-hours');
    const notice = once(citizen, 'message', (m) => m.event === 'after-hours');
    await ok(citizen, 'message:send', { clientId: 'b', text: '我要找人工' });
    expect((await afterHours).handoff).toEqual({
      state: 'after-hours', opensAt: new Date(NEXT_OPENING).toISOString(), department: { id: 'bj-psb', name: '北京市公安局', hotline: '010-85225050' },
    });
    expect((await notice).text).toContain('非工作时间');
    // The bot keeps answering meanwhile.
    const bot = once(citizen, 'message', (m) => m.sender === 'bot' && m.bot?.status === 'answered');
    await ok(citizen, 'message:send', { clientId: 'c', text: '居住证要多久' });
    await bot;

    expect(await call(citizen, 'ticket:leave', { name: '张先生', question: '居住证' }, true)).toMatchObject({ ok: false, error: { code: 'DB_MISSING_FIELD', message: expect.stringContaining('phone') } });
    expect(await call(citizen, 'ticket:leave', { phone: 'abc', question: '居住证' }, true)).toMatchObject({ ok: false, error: { code: 'DB_INVALID_FIELD' } });
    const left = await ok<{ handoff: HandoffInfo }>(citizen, 'ticket:leave', { name: '张先生', phone: '13800001111', question: '居住证能否代办？' });
    expect(left.handoff).toEqual({ state: 'ticket', ticketRef: 'LY20250106-0001', department: { id: 'bj-psb', name: '北京市公安局', hotline: '010-85225050' } });

    // Next morning a navigator logs in and finds it.
    h.clock.set(NEXT_OPENING + 30 * 60_000);
    const nav = await h.navigator({ username: 'feng', skills: ['public-security'] });
    expect(nav.hello.openTickets).toBe(1);
    const { tickets } = await ok<{ tickets: TicketView[] }>(nav.socket, 'tickets:list', { status: 'open' });
    expect(tickets).toMatchObject([{ ref: 'LY20250106-0001', name: '张先生', phone: '13800001111', question: '居住证能否代办？', skill: 'public-security', department: { id: 'bj-psb' } }]);
    const claimed = await ok<{ ticket: TicketView }>(nav.socket, 'ticket:claim', { ticketId: tickets[0]!.id });
    expect(claimed.ticket).toMatchObject({ status: 'claimed', claimedBy: nav.id, claimedByName: 'feng' });
    expect(await call(nav.socket, 'ticket:claim', { ticketId: tickets[0]!.id }, true)).toMatchObject({ ok: false, error: { code: 'DB_TICKET_NOT_OPEN' } });
    expect((await ok<{ ticket: TicketView }>(nav.socket, 'ticket:close', { ticketId: tickets[0]!.id, note: '已电话回复' })).ticket.status).toBe('closed');
  });

  it('recommends a department from the conversation when no item was discussed, and leaving the queue is always possible', async () => {
    h = await startHarness();
    const { socket: citizen } = await h.citizen();
    await ok(citizen, 'message:send', { clientId: 'a', text: '我想提取住房公积金' });
    await ok(citizen, 'handoff:request', {});
    const left = await ok<{ handoff: HandoffInfo }>(citizen, 'ticket:leave', { email: 'a@example.cn' });
    expect(left.handoff.department?.id).toBe('bj-housing-fund');
    const ticket = (await h.store.listTickets({}))[0]!;
    expect(ticket).toMatchObject({ question: '我想提取住房公积金', skill: 'housing', email: 'a@example.cn' });

    const other = await h.citizen();
    await ok(other.socket, 'handoff:request', {});
    const cancelled = await ok<{ state: CitizenState }>(other.socket, 'handoff:cancel', {});
    expect(cancelled.state).toMatchObject({ state: 'abandoned', responder: 'bot' });
  });
});
