import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { CITIZEN_NAMESPACE, NAVIGATOR_NAMESPACE, SOCKET_PATH } from './protocol.ts';
import { call, collect, once, ok, startHarness, type Harness } from './testing/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function refused(url: string, ns: string, auth: object): Promise<{ message: string; data?: { code: string } }> {
  const socket = connect(url + ns, { path: SOCKET_PATH, auth: auth as Record<string, unknown>, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.on('connect', () => {
      socket.disconnect();
      reject(new Error('connected although it should have been refused'));
    });
    socket.on('connect_error', (e: Error & { data?: { code: string } }) => {
      socket.disconnect();
      resolve(e);
    });
  });
}

describe('who may connect to what', () => {
  it('a citizen reaches only their own conversation', async () => {
    h = await startHarness();
    const alice = await h.citizen();
    const bob = await h.citizen();
    expect(alice.sync.sessionId).not.toBe(bob.sync.sessionId);
    expect(alice.sync.sessionId.length).toBeGreaterThanOrEqual(24);
    const bobSees = collect(bob.socket, 'message');
    const aliceAnswer = once(alice.socket, 'message', (m) => m.sender === 'bot');
    await ok(alice.socket, 'message:send', { clientId: 'a', text: '居住证怎么办' });
    const answer = await aliceAnswer;
    // Neither a guessed session nor the conversation id (which navigators see) opens it.
    expect((await refused(h.url, CITIZEN_NAMESPACE, { sessionId: 'guess' })).message).toBe('DB_UNKNOWN_SESSION');
    expect((await refused(h.url, CITIZEN_NAMESPACE, { sessionId: answer.conversationId })).message).toBe('DB_UNKNOWN_SESSION');
    expect((await refused(h.url, CITIZEN_NAMESPACE, { sessionId: alice.sync.sessionId, lastSeq: -3 })).data?.code).toBe('DB_INVALID_FIELD');
    const bobSync = await ok<{ messages: unknown[] }>(bob.socket, 'sync', { lastSeq: 0 });
    expect(bobSync.messages).toEqual([]);
    expect(bobSees).toEqual([]);
  });

  it('the navigator namespace refuses connections without a valid, unexpired login', async () => {
    h = await startHarness({ sessionTtlMs: 3_600_000 });
    expect((await refused(h.url, NAVIGATOR_NAMESPACE, {})).message).toBe('DB_UNAUTHORIZED');
    expect((await refused(h.url, NAVIGATOR_NAMESPACE, { token: 'forged' })).message).toBe('DB_UNAUTHORIZED');
    const nav = await h.navigator({ username: 'he', skills: ['general'] });
    expect((await refused(h.url, NAVIGATOR_NAMESPACE, { token: nav.token, status: 'asleep' })).data?.code).toBe('DB_INVALID_FIELD');
    // A live socket past its session's expiry is told so and cut off on its next action.
    h.clock.advance(3_600_001);
    const expired = once(nav.socket, 'session:expired');
    nav.socket.emit('queue:get', {}, () => undefined);
    await expired;
    expect((await refused(h.url, NAVIGATOR_NAMESPACE, { token: nav.token })).message).toBe('DB_SESSION_EXPIRED');
  });

  it('a navigator acts only on conversations they hold, and bad payloads get error acks', async () => {
    h = await startHarness();
    const holder = await h.navigator({ username: 'luo', skills: ['public-security'] });
    const other = await h.navigator({ username: 'liang', skills: ['public-security'] }, { status: 'away' });
    const citizen = await h.citizen();
    const offer = once(holder.socket, 'offer');
    await ok(citizen.socket, 'message:send', { clientId: 'a', text: '转人工' });
    const conversationId = (await offer).conversation.id;
    await ok(holder.socket, 'conversation:accept', { conversationId });
    expect(await call(other.socket, 'message:send', { conversationId, clientId: 'x', text: '插话' }, true)).toMatchObject({ ok: false, error: { code: 'DB_NOT_OWNER' } });
    expect(await call(other.socket, 'conversation:return-to-bot', { conversationId }, true)).toMatchObject({ ok: false, error: { code: 'DB_NOT_OWNER' } });
    expect(await call(holder.socket, 'message:send', { conversationId, clientId: 'y', text: '' }, true)).toMatchObject({ ok: false, error: { code: 'DB_MISSING_FIELD' } });
    expect(await call(holder.socket, 'conversation:accept', {}, true)).toMatchObject({ ok: false, error: { code: 'DB_MISSING_FIELD' } });
    expect(await call(holder.socket, 'conversation:wrap-up', { conversationId, code: 'nope' }, true)).toMatchObject({ ok: false, error: { code: 'DB_INVALID_FIELD' } });
    expect(await call(holder.socket, 'conversation:transfer', { conversationId, to: { skill: 'astrology' } }, true)).toMatchObject({ ok: false, error: { code: 'DB_INVALID_FIELD' } });
    expect(await call(holder.socket, 'conversation:accept', 'not an object', true)).toMatchObject({ ok: false, error: { code: 'DB_MISSING_FIELD' } });
    expect(await call(citizen.socket, 'rating:submit', { score: 'excellent' }, true)).toMatchObject({ ok: false, error: { code: 'DB_INVALID_FIELD' } });
    expect(await call(citizen.socket, 'rating:submit', { score: 'good' }, true)).toMatchObject({ ok: false, error: { code: 'DB_INVALID_TRANSITION' } });
  });
});
