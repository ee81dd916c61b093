import { afterEach, describe, expect, it } from 'vitest';
import { call, collect, once, ok, startHarness, type Harness } from './testing/harness.ts';
import type { CitizenState, ConversationSummary, MessageView, QueueStatus } from './protocol.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('handoff journey over socket.io', () => {
  it('asks the bot, hands off, waits in the queue, chats with a navigator, is transferred, returns to the bot and rates', async () => {
    h = await startHarness();
    const li = await h.navigator({ username: 'li', name: '李导办', skills: ['public-security'] }, { status: 'away' });
    const wang = await h.navigator({ username: 'wang', name: '王导办', skills: ['public-security', 'general'] }, { status: 'away' });
    const { socket: citizen, sync } = await h.citizen();
    expect(sync.state.responder).toBe('bot');
    expect(sync.messages).toEqual([]);
    const seen = collect(citizen, 'message');

    // 1. The bot answers, with its citation.
    const botAnswer = once(citizen, 'message', (m) => m.sender === 'bot');
    expect(await ok(citizen, 'message:send', { clientId: 'c-1', text: '居住证怎么办理？' })).toMatchObject({ seq: 1, duplicate: false });
    const answer = await botAnswer;
    expect(answer).toMatchObject({ seq: 2, replyTo: 1, bot: { status: 'answered', citations: [{ id: 'rp-first', kind: 'item' }] } });

    // 2. Asking for a person queues the conversation (nobody available yet: position 1, no wait promised).
    const queuedState = once(citizen, 'state', (s) => s.responder === 'queue');
    await ok(citizen, 'message:send', { clientId: 'c-2', text: '我要转人工' });
    const queued = await queuedState;
    expect(queued).toMatchObject({ state: 'queued', handoff: { state: 'queued', position: 1 }, queue: { position: 1, navigatorsOnline: 0 } });
    expect(queued.handoff?.waitMinutes).toBeUndefined();

    // 3. A navigator becomes available: the offer arrives with the handoff packet; the citizen's wait estimate updates.
    const offer = once(li.socket, 'offer');
    const estimate = once(citizen, 'queue', (q: QueueStatus) => q.navigatorsOnline === 1);
    await ok(li.socket, 'status:set', { status: 'available' });
    const o = await offer;
    expect(o.conversation.packet).toMatchObject({
      reason: 'user-request', reasonLabel: '市民要求转人工', confidence: 0.42, itemId: 'rp-first', itemTitle: '北京市居住证首次申领',
      summary: '市民咨询居住证首次申领，要求人工服务。', situation: [{ questionId: 'basis', optionId: 'employment', question: '您依据哪种条件申领？', answer: '就业' }],
      department: { id: 'bj-psb', name: '北京市公安局' },
    });
    expect(o.conversation.skill).toBe('public-security');
    expect((await estimate).waitMinutes).toEqual({ min: 0, max: 1 });
    const conversationId = o.conversation.id;

    // 4. Accepting: the citizen is told who joined; the transcript (bot turns with citations) is there for the navigator.
    const joined = once(citizen, 'state', (s) => s.responder === 'navigator');
    const accepted = await ok<{ conversation: ConversationSummary }>(li.socket, 'conversation:accept', { conversationId });
    expect(accepted.conversation).toMatchObject({ state: 'with-navigator', navigatorId: li.id });
    expect(await joined).toMatchObject({ navigatorName: '李导办', handoff: { state: 'with-navigator', navigatorName: '李导办' } });
    const { detail } = await ok<{ detail: { messages: MessageView[] } }>(li.socket, 'conversation:open', { conversationId });
    expect(detail.messages.map((m) => m.sender)).toEqual(['citizen', 'bot', 'citizen', 'bot', 'system']);
    expect(detail.messages[1]?.bot?.citations[0]?.id).toBe('rp-first');

    // 5. Chat both ways; the bot stays silent; internal notes never reach the citizen.
    const atNavigator = once(li.socket, 'message', (m) => m.sender === 'citizen' && m.text === '我在朝阳区上班');
    await ok(citizen, 'message:send', { clientId: 'c-3', text: '我在朝阳区上班' });
    await atNavigator;
    const atCitizen = once(citizen, 'message', (m) => m.sender === 'navigator');
    await ok(li.socket, 'note:add', { conversationId, text: '市民单位在朝阳，需确认社保' });
    await ok(li.socket, 'message:send', { conversationId, clientId: 'n-1', text: '您好，请问您的社保是在北京缴纳的吗？' });
    expect(await atCitizen).toMatchObject({ authorName: '李导办', text: '您好，请问您的社保是在北京缴纳的吗？' });
    expect(h.assistant.seen.map((s) => s.message)).toEqual(['居住证怎么办理？', '我要转人工']);

    // 6. Transfer to another navigator with a note: offered to them, they accept.
    const transferOffer = once(wang.socket, 'offer');
    const liNotified = once(li.socket, 'conversation', (c) => c.id === conversationId && c.state !== 'with-navigator');
    await ok(li.socket, 'conversation:transfer', { conversationId, to: { navigatorId: wang.id }, note: '需核实社保年限' });
    const t = await transferOffer;
    expect(t).toMatchObject({ transferredBy: '李导办', conversation: { packet: { transferNote: '需核实社保年限', transferredBy: '李导办' } } });
    await liNotified;
    const wangJoined = once(citizen, 'state', (s) => s.navigatorName === '王导办');
    await ok(wang.socket, 'conversation:accept', { conversationId });
    await wangJoined;
    const fromWang = once(citizen, 'message', (m) => m.authorName === '王导办');
    await ok(wang.socket, 'message:send', { conversationId, clientId: 'w-1', text: '社保满半年即可，请准备身份证。' });
    await fromWang;

    // 7. Back to the bot, which answers again; then the citizen rates the service.
    const backToBot = once(citizen, 'state', (s: CitizenState) => s.responder === 'bot');
    await ok(wang.socket, 'conversation:return-to-bot', { conversationId, code: 'answered' });
    expect(await backToBot).toMatchObject({ state: 'bot', canRate: true });
    const botAgain = once(citizen, 'message', (m) => m.sender === 'bot' && m.replyTo !== undefined && m.replyTo > 4);
    await ok(citizen, 'message:send', { clientId: 'c-4', text: '居住证要带什么材料' });
    await botAgain;
    const rated = await ok<{ state: CitizenState }>(citizen, 'rating:submit', { score: 'good', comment: '很耐心' });
    expect(rated.state.canRate).toBe(false);
    const again = await call(citizen, 'rating:submit', { score: 'bad' }, true);
    expect(again).toMatchObject({ ok: false, error: { code: 'DB_ALREADY_RATED' } });

    // The citizen saw every message exactly once, in seq order, and never the note.
    const seqs = seen.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seen.some((m) => m.text.includes('社保年限') || m.text.includes('需确认社保'))).toBe(false);

    // Every transition is an event with actor, reason and time.
    const events = await h.store.listEvents(conversationId);
    expect(events.map((e) => `${e.from}>${e.to}:${e.actor.split(':')[0]}:${e.reason}`)).toEqual([
      'bot>handoff-requested:citizen:user-request',
      'handoff-requested>queued:system:routed-to-skill',
      'queued>offered:system:routed',
      'offered>with-navigator:navigator:offer-accepted',
      'with-navigator>queued:navigator:transferred-to-navigator',
      'queued>offered:system:transfer-offer',
      'offered>with-navigator:navigator:offer-accepted',
      'with-navigator>bot:navigator:returned-to-bot',
    ]);
    expect(events.every((e) => e.at > 0)).toBe(true);
    const ratings = await h.store.listRatings(conversationId);
    expect(ratings).toMatchObject([{ navigatorId: wang.id, score: 'good', comment: '很耐心' }]);
  });

  it('shows typing indicators and read receipts both ways', async () => {
    h = await startHarness();
    const nav = await h.navigator({ username: 'zhao', skills: ['public-security'] });
    const { socket: citizen } = await h.citizen();
    const offer = once(nav.socket, 'offer');
    await ok(citizen, 'message:send', { clientId: 'x', text: '转人工' });
    const conversationId = (await offer).conversation.id;
    await ok(nav.socket, 'conversation:accept', { conversationId });

    const navSeesTyping = once(nav.socket, 'typing', (t) => t.conversationId === conversationId && t.typing);
    citizen.emit('typing', { typing: true });
    await navSeesTyping;
    const citizenSeesTyping = once(citizen, 'typing', (t) => t.typing && t.from === 'navigator');
    nav.socket.emit('typing', { conversationId, typing: true });
    expect(await citizenSeesTyping).toMatchObject({ name: 'zhao' });

    const sent = await ok<{ message: MessageView }>(nav.socket, 'message:send', { conversationId, clientId: 'r1', text: '请讲' });
    const receipt = once(nav.socket, 'read', (r) => r.by === 'citizen');
    expect(await ok(citizen, 'read', { seq: sent.message.seq })).toMatchObject({ seq: sent.message.seq });
    expect(await receipt).toMatchObject({ conversationId, seq: sent.message.seq });
    const navReceipt = once(citizen, 'read', (r) => r.by === 'navigator');
    await ok(nav.socket, 'read', { conversationId, seq: sent.message.seq });
    expect((await navReceipt).seq).toBe(sent.message.seq);
    expect(await call(citizen, 'read', { seq: -1 }, true)).toMatchObject({ ok: false, error: { code: 'DB_INVALID_FIELD' } });
  });
});
