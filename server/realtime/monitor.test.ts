import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationDetail, MessageView, MonitorChange, MonitoredConversation } from './protocol.ts';
import { call, collect, once, ok, requestJson, startHarness, type Harness } from './testing/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A citizen who asked the bot about the residence permit, then for a person; resolves with the offer to `holder`. */
async function handedOff(harness: Harness, holder: Awaited<ReturnType<Harness['navigator']>>) {
  const citizen = await harness.citizen();
  const answered = once(citizen.socket, 'message', (m) => m.sender === 'bot');
  await ok(citizen.socket, 'message:send', { clientId: 'c-1', text: '居住证怎么办理？' });
  await answered;
  const offer = once(holder.socket, 'offer');
  await ok(citizen.socket, 'message:send', { clientId: 'c-2', text: '我要转人工' });
  return { citizen, conversationId: (await offer).conversation.id };
}

describe('supervisor monitoring', () => {
  it('lists the conversations with navigators live and follows one read-only: nobody is told, no read mark moves', async () => {
    h = await startHarness();
    const holder = await h.navigator({ username: 'li', name: '李导办', skills: ['public-security'] });
    const boss = await h.navigator({ username: 'boss', name: '张班长', role: 'supervisor', skills: ['general'] }, { status: 'away' });
    const { citizen, conversationId } = await handedOff(h, holder);

    // Offered: already on the monitor, with whom it is offered to, the item and when the handoff began.
    const listed = await ok<{ conversations: MonitoredConversation[] }>(boss.socket, 'monitor:list', {});
    expect(listed.conversations).toHaveLength(1);
    const [offered] = listed.conversations;
    expect(offered).toMatchObject({
      conversation: { id: conversationId, state: 'offered', offeredTo: holder.id, skill: 'public-security', itemTitle: '北京市居住证首次申领' },
      since: offered!.conversation.packet!.requestedAt,
      lastMessageAt: expect.any(String),
    });

    // Accepted: the row changes live, now naming the navigator who serves it.
    const changes = collect(boss.socket, 'monitor:conversation');
    const started = once(boss.socket, 'monitor:conversation', (c: MonitorChange) => c.entry?.conversation.state === 'with-navigator');
    await ok(holder.socket, 'conversation:accept', { conversationId });
    expect((await started).entry).toMatchObject({ conversation: { id: conversationId, navigatorId: holder.id, navigatorName: '李导办' }, since: offered!.since });

    // The holder has read everything so far.
    const { detail: held } = await ok<{ detail: ConversationDetail }>(holder.socket, 'conversation:open', { conversationId });
    const readSeq = held.messages.at(-1)!.seq;
    await ok(holder.socket, 'read', { conversationId, seq: readSeq });

    // The supervisor opens the transcript; from now on neither the holder nor the citizen may hear of it.
    const holderSees = { conversation: collect(holder.socket, 'conversation'), read: collect(holder.socket, 'read'), note: collect(holder.socket, 'note') };
    const citizenSees = { state: collect(citizen.socket, 'state'), read: collect(citizen.socket, 'read'), message: collect(citizen.socket, 'message') };
    const { detail } = await ok<{ detail: ConversationDetail }>(boss.socket, 'monitor:open', { conversationId });
    expect(detail.messages.map((m) => m.sender)).toEqual(['citizen', 'bot', 'citizen', 'bot', 'system']);
    expect(detail.messages[1]?.bot?.citations[0]?.id).toBe('rp-first');

    // Live: the citizen's and the navigator's messages reach the supervisor.
    const bossSees = collect(boss.socket, 'message');
    const citizenLine = once(boss.socket, 'message', (m: MessageView) => m.sender === 'citizen' && m.text === '我在朝阳区上班');
    await ok(citizen.socket, 'message:send', { clientId: 'c-3', text: '我在朝阳区上班' });
    await citizenLine;
    const navigatorLine = once(boss.socket, 'message', (m: MessageView) => m.sender === 'navigator');
    await ok(holder.socket, 'message:send', { conversationId, clientId: 'n-1', text: '朝阳区可以办理。' });
    expect((await navigatorLine).authorName).toBe('李导办');
    // Once each, although the supervisor is both in the monitor room and watching the conversation.
    expect(bossSees.map((m) => m.seq)).toEqual([readSeq + 1, readSeq + 2]);

    // Read-only: the read marks are where the holder and the citizen left them, and nobody was told anything.
    const stored = await h.store.getConversation(conversationId);
    expect(stored).toMatchObject({ state: 'with-navigator', navigatorId: holder.id, navigatorReadSeq: readSeq, citizenReadSeq: 0 });
    await ok(holder.socket, 'queue:get', {});
    await ok(citizen.socket, 'sync', { lastSeq: 0 });
    expect(holderSees).toEqual({ conversation: [], read: [], note: [] });
    expect(citizenSees.state).toEqual([]);
    expect(citizenSees.read).toEqual([]);
    expect(citizenSees.message.map((m) => m.sender)).toEqual(['citizen', 'navigator']);

    // The list has the newest message time; ending the chat changes the row, wrapping up takes it off.
    const [row] = (await ok<{ conversations: MonitoredConversation[] }>(boss.socket, 'monitor:list', {})).conversations;
    expect(row!.lastMessageAt).toBe(bossSees.at(-1)!.at);
    const wrapUp = once(boss.socket, 'monitor:conversation', (c: MonitorChange) => c.entry?.conversation.state === 'wrap-up');
    await ok(holder.socket, 'conversation:end', { conversationId });
    await wrapUp;
    const gone = once(boss.socket, 'monitor:conversation', (c: MonitorChange) => c.conversationId === conversationId && !c.entry);
    await ok(holder.socket, 'conversation:wrap-up', { conversationId, code: 'answered' });
    await gone;
    expect(changes.every((c) => c.conversationId === conversationId)).toBe(true);
    expect((await ok<{ conversations: MonitoredConversation[] }>(boss.socket, 'monitor:list', {})).conversations).toEqual([]);

    // After monitor:stop no more changes arrive (a round trip after the change proves it would have).
    boss.socket.emit('monitor:stop', {});
    const after = changes.length;
    const second = await handedOff(h, holder);
    await ok(holder.socket, 'conversation:accept', { conversationId: second.conversationId });
    await ok(boss.socket, 'queue:get', {});
    expect(changes.length).toBe(after);
  });

  it('refuses a navigator who is not a supervisor, for the list and for a transcript, over the socket and HTTP', async () => {
    h = await startHarness();
    const holder = await h.navigator({ username: 'li', skills: ['public-security'] });
    const colleague = await h.navigator({ username: 'zhao', skills: ['public-security', 'general'] }, { status: 'away' });
    const boss = await h.navigator({ username: 'boss', role: 'supervisor', skills: ['general'] }, { status: 'away' });
    const { citizen, conversationId } = await handedOff(h, holder);
    await ok(holder.socket, 'conversation:accept', { conversationId });

    const forbidden = { ok: false, error: { code: 'DB_FORBIDDEN', message: 'Only supervisors may monitor conversations' } };
    expect(await call(colleague.socket, 'monitor:list', {}, true)).toEqual(forbidden);
    expect(await call(colleague.socket, 'monitor:open', { conversationId }, true)).toEqual(forbidden);
    const refused = await requestJson(h, 'GET', '/api/console/monitor', undefined, { authorization: `Bearer ${colleague.token}` });
    expect(refused).toEqual({ status: 403, body: { error: { code: 'DB_FORBIDDEN', message: 'Only supervisors may monitor conversations' } } });
    expect((await requestJson(h, 'GET', '/api/console/monitor')).status).toBe(401);

    // The refusals joined no room: the colleague hears nothing of the conversation, the supervisor's list has it.
    const colleagueSees = { message: collect(colleague.socket, 'message'), monitor: collect(colleague.socket, 'monitor:conversation') };
    await ok(boss.socket, 'monitor:list', {});
    const atHolder = once(holder.socket, 'message', (m: MessageView) => m.text === '还在吗？');
    const atBoss = once(boss.socket, 'message', (m: MessageView) => m.text === '还在吗？');
    await ok(citizen.socket, 'message:send', { clientId: 'c-3', text: '还在吗？' });
    await Promise.all([atHolder, atBoss]);
    await ok(colleague.socket, 'queue:get', {});
    expect(colleagueSees).toEqual({ message: [], monitor: [] });

    const listed = await requestJson(h, 'GET', '/api/console/monitor', undefined, { authorization: `Bearer ${boss.token}` });
    expect(listed.status).toBe(200);
    expect(listed.body.conversations.map((c: MonitoredConversation) => [c.conversation.id, c.conversation.state, c.conversation.navigatorId]))
      .toEqual([[conversationId, 'with-navigator', holder.id]]);
    expect(await call(boss.socket, 'monitor:open', { conversationId: 'c_nope' }, true)).toMatchObject({ ok: false, error: { code: 'DB_NOT_FOUND' } });
  });
});
