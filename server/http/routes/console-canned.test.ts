import { afterEach, describe, expect, it } from 'vitest';
import { collect, ok, once, requestJson, startHarness, type Harness } from '../../realtime/testing/harness.ts';
import type { CannedReplyView } from '../../realtime/protocol.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** A console API call as the navigator holding `token`. */
function api(h: Harness, token: string, method: string, url: string, body?: unknown) {
  return requestJson(h, method, url, body, { authorization: `Bearer ${token}` });
}

describe('canned replies: who may change which', () => {
  it('lets supervisors change every reply and navigators only those of their own skills, naming the field on refusal', async () => {
    const h = await startHarness();
    open.push(h);
    const boss = await h.navigator({ username: 'boss', skills: ['general'], role: 'supervisor' });
    const ma = await h.navigator({ username: 'ma', skills: ['public-security'] });

    // The starter set is shared: a navigator sees it but may not change it.
    expect((await api(h, ma.token, 'PUT', '/api/console/canned/greeting', { title: '问候', text: '您好！' })).body.error)
      .toMatchObject({ code: 'DB_FORBIDDEN', message: expect.stringContaining('shared') });
    expect((await api(h, ma.token, 'DELETE', '/api/console/canned/greeting')).status).toBe(403);
    expect((await api(h, ma.token, 'POST', '/api/console/canned', { title: '通用', text: '您好' })).body.error)
      .toMatchObject({ code: 'DB_FORBIDDEN', message: expect.stringContaining('field "skill"') });
    expect((await api(h, ma.token, 'POST', '/api/console/canned', { title: '公积金', text: '请稍候', skill: 'housing' })).body.error)
      .toMatchObject({ code: 'DB_FORBIDDEN', message: expect.stringContaining('field "skill"') });

    // Their own skill's replies: create, edit, delete; not moved to another skill or to the shared set.
    const created = await api(h, ma.token, 'POST', '/api/console/canned', { title: '签注', text: '签注可在京通办理。', skill: 'public-security' });
    expect(created.status).toBe(200);
    const id = created.body.reply.id as string;
    expect(created.body.reply).toMatchObject({ title: '签注', skill: 'public-security' });
    expect((await api(h, ma.token, 'PUT', `/api/console/canned/${id}`, { title: '签注办理', text: '签注可在京通小程序办理。', skill: 'public-security' })).body.reply)
      .toMatchObject({ title: '签注办理', text: '签注可在京通小程序办理。' });
    expect((await api(h, ma.token, 'PUT', `/api/console/canned/${id}`, { title: '签注', text: '签注', skill: 'housing' })).status).toBe(403);
    expect((await api(h, ma.token, 'PUT', `/api/console/canned/${id}`, { title: '签注', text: '签注' })).status).toBe(403);
    expect((await api(h, ma.token, 'PUT', `/api/console/canned/${id}`, { title: '签注', text: '  ', skill: 'public-security' })).body.error)
      .toMatchObject({ code: 'DB_MISSING_FIELD', message: expect.stringContaining('"text"') });

    // A supervisor changes anything: another skill's reply, a shared one, and moves between them.
    const housing = await api(h, boss.token, 'POST', '/api/console/canned', { title: '公积金', text: '公积金提取约 3 个工作日到账。', skill: 'housing' });
    expect(housing.body.reply).toMatchObject({ skill: 'housing' });
    expect((await api(h, ma.token, 'GET', '/api/console/canned')).body.replies.map((r: CannedReplyView) => r.id)).not.toContain(housing.body.reply.id);
    expect((await api(h, ma.token, 'DELETE', `/api/console/canned/${housing.body.reply.id}`)).status).toBe(403);
    expect((await api(h, boss.token, 'PUT', `/api/console/canned/${id}`, { title: '签注', text: '签注可在京通办理。' })).body.reply).not.toHaveProperty('skill');
    expect((await api(h, boss.token, 'PUT', '/api/console/canned/greeting', { title: '问候', text: '您好！' })).status).toBe(200);
    expect((await api(h, boss.token, 'DELETE', `/api/console/canned/${housing.body.reply.id}`)).status).toBe(204);
    expect((await api(h, boss.token, 'DELETE', `/api/console/canned/${housing.body.reply.id}`)).body.error.code).toBe('DB_NOT_FOUND');

    // The navigator may delete a reply of their skill, and the list no longer has it.
    const own = await api(h, ma.token, 'POST', '/api/console/canned', { title: '预约', text: '请先预约。', skill: 'public-security' });
    expect((await api(h, ma.token, 'DELETE', `/api/console/canned/${own.body.reply.id}`)).status).toBe(204);
    expect((await api(h, ma.token, 'GET', '/api/console/canned')).body.replies.some((r: CannedReplyView) => r.id === own.body.reply.id)).toBe(false);
  });

  it('tells every navigator who can see a changed reply, and nobody else, so open consoles refresh their lists', async () => {
    const h = await startHarness();
    open.push(h);
    const boss = await h.navigator({ username: 'boss', skills: ['general'], role: 'supervisor' });
    const ma = await h.navigator({ username: 'ma', skills: ['public-security'] });
    const zhao = await h.navigator({ username: 'zhao', skills: ['housing'] });
    const toZhao = collect(zhao.socket, 'canned:changed');

    // A public-security reply: its navigator and the supervisor hear of it (and the list has it), the housing navigator not.
    const maHears = once(ma.socket, 'canned:changed');
    const bossHears = once(boss.socket, 'canned:changed');
    const created = await api(h, ma.token, 'POST', '/api/console/canned', { title: '签注', text: '签注可在京通办理。', skill: 'public-security' });
    const id = created.body.reply.id as string;
    expect(await maHears).toEqual({ id });
    expect(await bossHears).toEqual({ id });
    expect((await ok<{ replies: CannedReplyView[] }>(ma.socket, 'canned:list', {})).replies.map((r) => r.id)).toContain(id);

    // Moved to the shared set by the supervisor: everyone hears, the housing navigator for the first time.
    const zhaoHears = once(zhao.socket, 'canned:changed');
    await api(h, boss.token, 'PUT', `/api/console/canned/${id}`, { title: '签注', text: '签注可在京通办理。' });
    expect(await zhaoHears).toEqual({ id });
    expect(toZhao).toEqual([{ id }]);
    expect((await ok<{ replies: CannedReplyView[] }>(zhao.socket, 'canned:list', {})).replies.map((r) => r.id)).toContain(id);

    // Deleted: announced too; refused changes are not.
    const gone = once(zhao.socket, 'canned:changed');
    expect((await api(h, zhao.token, 'DELETE', `/api/console/canned/${id}`)).status).toBe(403);
    expect((await api(h, boss.token, 'DELETE', `/api/console/canned/${id}`)).status).toBe(204);
    expect(await gone).toEqual({ id });
    expect(toZhao).toEqual([{ id }, { id }]);
  });
});
