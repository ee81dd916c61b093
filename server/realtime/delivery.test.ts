import { afterEach, describe, expect, it } from 'vitest';
import { call, once, ok, startHarness, type Harness } from './testing/harness.ts';
import type { ConversationSummary, MessageView } from './protocol.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function withNavigator(harness: Harness) {
  const nav = await harness.navigator({ username: 'qian', name: '钱导办', skills: ['public-security'] });
  const citizen = await harness.citizen();
  const offer = once(nav.socket, 'offer');
  await ok(citizen.socket, 'message:send', { clientId: 'c-0', text: '转人工' });
  const conversationId = (await offer).conversation.id;
  const joined = once(citizen.socket, 'state', (s) => s.responder === 'navigator');
  await ok(nav.socket, 'conversation:accept', { conversationId });
  await joined;
  return { nav, citizen, conversationId };
}

describe('message delivery', () => {
  it('replays what a reconnecting citizen missed, from its last seq, with the current state', async () => {
    h = await withHarness();
    const { nav, citizen, conversationId } = await withNavigator(h);
    const mine = await ok<{ seq: number }>(citizen.socket, 'message:send', { clientId: 'c-1', text: '我的材料齐了吗' });
    citizen.socket.disconnect();
    const missed: MessageView[] = [];
    for (const text of ['还差社保证明', '可以在京通下载']) {
      missed.push((await ok<{ message: MessageView }>(nav.socket, 'message:send', { conversationId, clientId: text, text })).message);
    }
    const back = await h.citizen({ sessionId: citizen.sync.sessionId, lastSeq: mine.seq });
    expect(back.sync.messages.map((m) => [m.seq, m.text])).toEqual(missed.map((m) => [m.seq, m.text]));
    expect(back.sync.state).toMatchObject({ responder: 'navigator', navigatorName: '钱导办', lastSeq: missed.at(-1)!.seq });

    // A page reload (no lastSeq) resumes the same conversation with the whole transcript.
    const reload = await h.citizen({ sessionId: citizen.sync.sessionId });
    expect(reload.sync.sessionId).toBe(citizen.sync.sessionId);
    expect(reload.sync.messages.map((m) => m.seq)).toEqual(Array.from({ length: missed.at(-1)!.seq }, (_, i) => i + 1));

    // An explicit sync asks for the same thing on a live socket.
    const synced = await ok<{ messages: MessageView[] }>(reload.socket, 'sync', { lastSeq: missed[0]!.seq });
    expect(synced.messages.map((m) => m.text)).toEqual(['可以在京通下载']);
  });

  it('replays to a reconnecting navigator what they missed in their conversations', async () => {
    h = await withHarness();
    const { nav, citizen, conversationId } = await withNavigator(h);
    const { message } = await ok<{ message: MessageView }>(nav.socket, 'message:send', { conversationId, clientId: 'n1', text: '请讲' });
    nav.socket.disconnect();
    await ok(citizen.socket, 'message:send', { clientId: 'c-9', text: '我在这里' });
    const again = await h.navigator({ username: 'qian' }, { lastSeqs: { [conversationId]: message.seq } });
    expect(again.hello.conversations.map((c: ConversationSummary) => c.id)).toEqual([conversationId]);
    expect(again.hello.replay).toEqual([{ conversationId, messages: [expect.objectContaining({ sender: 'citizen', text: '我在这里', seq: message.seq + 1 })] }]);
  });

  it('stores a send repeated with the same clientId once and acknowledges every repeat with the same seq', async () => {
    h = await withHarness();
    const { nav, citizen, conversationId } = await withNavigator(h);
    const acks = await Promise.all([1, 2, 3, 4].map(() => ok<{ seq: number; duplicate: boolean }>(citizen.socket, 'message:send', { clientId: 'same', text: '重复发送' })));
    expect(new Set(acks.map((a) => a.seq)).size).toBe(1);
    expect(acks.filter((a) => !a.duplicate)).toHaveLength(1);
    const navAcks = await Promise.all([1, 2].map(() => ok<{ message: MessageView }>(nav.socket, 'message:send', { conversationId, clientId: 'same', text: '好的' })));
    expect(navAcks[0]!.message.seq).toBe(navAcks[1]!.message.seq);
    const stored = await h.store.listMessages(conversationId);
    expect(stored.filter((m) => m.text === '重复发送')).toHaveLength(1);
    expect(stored.filter((m) => m.text === '好的')).toHaveLength(1);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
    // A send without clientId is refused (it could not be retried safely).
    expect(await call(citizen.socket, 'message:send', { text: '无编号' }, true)).toMatchObject({ ok: false, error: { code: 'DB_MISSING_FIELD' } });
  });

  it('answers a repeated HTTP chat request (same clientId) with the stored reply, storing the message once', async () => {
    h = await withHarness();
    const post = (body: object) => fetch(`${h!.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const first = await post({ message: '居住证怎么办', clientId: 'k1' });
    const second = await post({ message: '居住证怎么办', clientId: 'k1', sessionId: first.body.sessionId });
    expect(first.status).toBe(200);
    expect(second.body).toMatchObject({ sessionId: first.body.sessionId, status: 'answered', answer: first.body.answer });
    const conv = await h.store.getConversationBySession(first.body.sessionId as string);
    expect((await h.store.listMessages(conv!.id)).map((m) => m.sender)).toEqual(['citizen', 'bot']);
    expect(h.assistant.seen).toHaveLength(1);
  });
});

function withHarness(): Promise<Harness> {
  return startHarness();
}
