import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../config/config.ts';
import { once, ok, requestJson, startHarness, type Harness } from '../../realtime/testing/harness.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

const api = requestJson;

describe('HTTP fallback for citizens without websockets', () => {
  it('reports handoff status with the queue state, delivers navigator replies by polling, and keeps the bot silent', async () => {
    const h = await startHarness();
    open.push(h);
    const first = await api(h, 'POST', '/api/chat', { message: '居住证怎么办' });
    expect(first.body).toMatchObject({ status: 'answered', citations: [{ id: 'rp-first' }] });
    const sessionId = first.body.sessionId as string;
    const handoff = await api(h, 'POST', '/api/chat', { message: '请帮我转人工', sessionId });
    expect(handoff.body).toMatchObject({ status: 'handoff', handoff: { state: 'queued', position: 1 } });
    const waiting = await api(h, 'POST', '/api/chat', { message: '还要等多久？', sessionId });
    expect(waiting.body).toMatchObject({ status: 'handoff', intent: 'handoff:queued', handoff: { state: 'queued', position: 1 } });
    expect(waiting.body.answer).toContain('第 1 位');
    expect(h.assistant.seen.map((s) => s.message)).not.toContain('还要等多久？');
    const state = await api(h, 'GET', '/api/handoff/state', undefined, { 'x-session-id': sessionId });
    expect(state.body).toMatchObject({ state: 'queued', responder: 'queue', queue: { position: 1, navigatorsOnline: 0 } });

    const nav = await h.navigator({ username: 'ma', name: '马导办', skills: ['public-security'] });
    const token = nav.token;
    const auth = { authorization: `Bearer ${token}` };
    const queue = await api(h, 'GET', '/api/console/queue', undefined, auth);
    const offered = queue.body.skills.find((s: any) => s.skill === 'public-security').waiting[0];
    expect(offered).toMatchObject({ position: 1, state: 'offered', offeredTo: nav.id, reason: 'user-request' });
    await api(h, 'POST', `/api/console/conversations/${offered.conversationId}/accept`, {}, auth);
    const sent = await api(h, 'POST', `/api/console/conversations/${offered.conversationId}/messages`, { text: '您好，我是马导办', clientId: 'm1' }, auth);
    const polled = await api(h, 'GET', `/api/handoff/messages?after=${sent.body.message.seq - 1}`, undefined, { 'x-session-id': sessionId });
    expect(polled.body.messages).toMatchObject([{ sender: 'navigator', text: '您好，我是马导办', authorName: '马导办' }]);
    const withNav = await api(h, 'POST', '/api/chat', { message: '好的', sessionId });
    expect(withNav.body).toMatchObject({ status: 'handoff', handoff: { state: 'with-navigator', navigatorName: '马导办' } });

    expect((await api(h, 'POST', '/api/chat', { message: 'hi', sessionId: 'nope' })).body.error.code).toBe('DB_UNKNOWN_SESSION');
    expect((await api(h, 'GET', '/api/handoff/state')).status).toBe(400);
    expect((await api(h, 'GET', '/api/handoff/messages?after=x', undefined, { 'x-session-id': sessionId })).body.error.code).toBe('DB_INVALID_FIELD');
  });
});

describe('navigator console HTTP API', () => {
  it('logs in, reads the queue and transcript with the packet, assists, keeps notes and canned replies, wraps up', async () => {
    const questions: string[] = [];
    const h = await startHarness({
      sessionTtlMs: 8 * 3_600_000,
      suggest: async (q) => {
        questions.push(q);
        return [{ text: '首次申领需居住登记满半年。', citation: { id: 'rp-first', kind: 'item', title: '北京市居住证首次申领', url: 'https://banshi.beijing.gov.cn/rp-first', updatedAt: '2024-12-01' } }];
      },
    });
    open.push(h);
    await h.service.createNavigator({ username: 'yang', password: 'correct horse battery', name: '杨导办', skills: ['public-security'], role: 'supervisor' });
    expect((await api(h, 'POST', '/api/console/login', { username: 'yang', password: 'wrong-password' })).body.error.code).toBe('DB_INVALID_CREDENTIALS');
    expect((await api(h, 'POST', '/api/console/login', { username: 'yang' })).body.error.code).toBe('DB_MISSING_FIELD');
    expect((await api(h, 'GET', '/api/console/queue')).status).toBe(401);
    const login = await api(h, 'POST', '/api/console/login', { username: 'yang', password: 'correct horse battery' });
    expect(login.body.navigator).toMatchObject({ username: 'yang', role: 'supervisor', skills: ['public-security'] });
    const auth = { authorization: `Bearer ${login.body.token}` };

    const citizen = await h.citizen();
    await ok(citizen.socket, 'message:send', { clientId: 'a', text: '居住证怎么办' });
    const queued = once(citizen.socket, 'state', (s) => s.responder === 'queue');
    await ok(citizen.socket, 'message:send', { clientId: 'b', text: '转人工' });
    await queued;
    h.clock.advance(90_000);
    const queue = await api(h, 'GET', '/api/console/queue', undefined, auth);
    const entry = queue.body.skills.find((s: any) => s.skill === 'public-security').waiting[0];
    expect(entry).toMatchObject({ waitingMs: 90_000, itemTitle: '北京市居住证首次申领', summary: '市民咨询居住证首次申领，要求人工服务。' });
    const id = entry.conversationId;
    expect((await api(h, 'POST', `/api/console/conversations/${id}/accept`, {}, auth)).body.conversation.state).toBe('with-navigator');
    expect((await api(h, 'GET', '/api/console/conversations', undefined, auth)).body.conversations.map((c: any) => c.id)).toEqual([id]);

    const detail = await api(h, 'GET', `/api/console/conversations/${id}`, undefined, auth);
    expect(detail.body.conversation.packet).toMatchObject({ reason: 'user-request', confidence: 0.42, itemId: 'rp-first' });
    expect(detail.body.messages[1]).toMatchObject({ sender: 'bot', bot: { citations: [{ id: 'rp-first' }] } });
    expect(detail.body.events.map((e: any) => e.to)).toEqual(['handoff-requested', 'queued', 'with-navigator']);

    const assist = await api(h, 'GET', `/api/console/conversations/${id}/suggestions`, undefined, auth);
    expect(assist.body).toMatchObject({ question: '转人工', suggestions: [{ text: '首次申领需居住登记满半年。', citation: { id: 'rp-first' } }] });
    expect(questions).toEqual(['转人工']);

    const note = await api(h, 'POST', `/api/console/conversations/${id}/notes`, { text: '疑似代办，需核实授权书' }, auth);
    expect(note.body.note).toMatchObject({ authorName: '杨导办', text: '疑似代办，需核实授权书' });
    const notes = (await api(h, 'GET', `/api/console/conversations/${id}`, undefined, auth)).body.notes;
    expect(notes).toHaveLength(1);
    const transcript = await ok<{ messages: Array<{ text: string }> }>(citizen.socket, 'sync', { lastSeq: 0 });
    expect(transcript.messages.some((m) => m.text.includes('授权书'))).toBe(false);

    // Canned replies: a starter set, editable, persisted.
    const canned = await api(h, 'GET', '/api/console/canned', undefined, auth);
    expect(canned.body.replies.length).toBeGreaterThanOrEqual(5);
    const created = await api(h, 'POST', '/api/console/canned', { title: '预约', text: '请通过京通预约办理时间。' }, auth);
    await api(h, 'PUT', `/api/console/canned/${created.body.reply.id}`, { title: '预约办理', text: '请通过京通小程序预约。' }, auth);
    expect((await api(h, 'DELETE', '/api/console/canned/greeting', undefined, auth)).status).toBe(204);
    expect((await api(h, 'POST', '/api/console/canned', { title: '' }, auth)).body.error.code).toBe('DB_MISSING_FIELD');
    const after = (await api(h, 'GET', '/api/console/canned', undefined, auth)).body.replies;
    expect(after.find((r: any) => r.id === created.body.reply.id)).toMatchObject({ title: '预约办理', text: '请通过京通小程序预约。' });
    expect(after.some((r: any) => r.id === 'greeting')).toBe(false);

    // End, then wrap up with a code; the citizen may rate.
    expect((await api(h, 'POST', `/api/console/conversations/${id}/wrap-up`, { code: 'bogus' }, auth)).body.error).toMatchObject({ code: 'DB_INVALID_FIELD', message: expect.stringContaining('"code"') });
    const rateable = once(citizen.socket, 'state', (s) => s.state === 'wrap-up' && s.canRate);
    await api(h, 'POST', `/api/console/conversations/${id}/end`, {}, auth);
    await rateable;
    const codes = (await api(h, 'GET', '/api/console/wrap-up-codes', undefined, auth)).body.codes;
    expect(codes.map((c: any) => c.code)).toContain('answered');
    expect((await api(h, 'POST', `/api/console/conversations/${id}/wrap-up`, { code: 'answered', note: '已告知材料' }, auth)).body.conversation.state).toBe('resolved');
    await ok(citizen.socket, 'rating:submit', { score: 'average' });
    const navigators = (await api(h, 'GET', '/api/console/navigators', undefined, auth)).body.navigators;
    expect(navigators).toMatchObject([{ username: 'yang', load: 0 }]);

    // The session expires.
    h.clock.advance(8 * 3_600_000);
    expect((await api(h, 'GET', '/api/console/queue', undefined, auth)).body.error.code).toBe('DB_SESSION_EXPIRED');

    // Canned replies survive a restart.
    await h.close();
    open.pop();
    const again = await startHarness({ dataDir: h.dataDir });
    open.push(again);
    const relog = await api(again, 'POST', '/api/console/login', { username: 'yang', password: 'correct horse battery' });
    const persisted = (await api(again, 'GET', '/api/console/canned', undefined, { authorization: `Bearer ${relog.body.token}` })).body.replies;
    expect(persisted.map((r: any) => r.title)).toContain('预约办理');
    expect(persisted.some((r: any) => r.id === 'greeting')).toBe(false);

    // A list the supervisors emptied stays empty: the starter set is offered once per database.
    const relogAuth = { authorization: `Bearer ${relog.body.token}` };
    for (const r of persisted) expect((await api(again, 'DELETE', `/api/console/canned/${r.id}`, undefined, relogAuth)).status).toBe(204);
    await again.close();
    open.pop();
    const third = await startHarness({ dataDir: h.dataDir });
    open.push(third);
    const thirdLogin = await api(third, 'POST', '/api/console/login', { username: 'yang', password: 'correct horse battery' });
    expect((await api(third, 'GET', '/api/console/canned', undefined, { authorization: `Bearer ${thirdLogin.body.token}` })).body.replies).toEqual([]);
  });

  it('creates accounts from the CLI with scrypt-hashed passwords', async () => {
    const h = await startHarness();
    open.push(h);
    const run = promisify(execFile);
    const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
    const cli = path.join(PROJECT_ROOT, 'server', 'handoff', 'cli', 'create-navigator.ts');
    const env = { ...process.env, DATA_DIR: h.dataDir };
    const out = await run(tsx, [cli, '--username', 'zhu', '--password', 'a-long-password', '--name', '朱导办', '--skills', 'housing,general', '--role', 'supervisor', '--capacity', '4'], { env });
    expect(out.stdout).toContain('Created supervisor "zhu"');
    const dup = await run(tsx, [cli, '--username', 'zhu', '--password', 'a-long-password', '--name', '朱导办', '--skills', 'housing'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(dup).toMatchObject({ code: 1, stderr: expect.stringContaining('taken') });
    const stored = await h.store.getNavigatorByUsername('zhu');
    expect(stored).toMatchObject({ role: 'supervisor', skills: ['housing', 'general'], capacity: 4 });
    expect(stored!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    const login = await api(h, 'POST', '/api/console/login', { username: 'zhu', password: 'a-long-password' });
    expect(login.body.navigator).toMatchObject({ name: '朱导办', capacity: 4 });
  });
});
