import { describe, expect, it } from 'vitest';
import { cannedFormError, groupCanned, scopeChoices } from './canned-model.ts';
import type { CannedReplyView } from './protocol.ts';

const reply = (id: string, skill?: string): CannedReplyView => ({ id, title: id, text: `${id}…`, ...(skill ? { skill } : {}), updatedAt: '2026-01-01T00:00:00.000Z' });
const ma = { role: 'navigator' as const, skills: ['public-security', 'general'] };
const boss = { role: 'supervisor' as const, skills: ['general'] };

describe('canned reply manager model', () => {
  it('groups the shared set first, then the navigator’s own skills in their order, then other skills by name; keeps the list order inside', () => {
    const list = [reply('a', 'housing'), reply('b'), reply('c', 'general'), reply('d', 'public-security'), reply('e'), reply('f', 'business')];
    expect(groupCanned(list, ma).map((g) => [g.skill, g.replies.map((r) => r.id), g.changeable])).toEqual([
      [null, ['b', 'e'], false],
      ['public-security', ['d'], true],
      ['general', ['c'], true],
      ['business', ['f'], false],
      ['housing', ['a'], false],
    ]);
    expect(groupCanned(list, boss).every((g) => g.changeable)).toBe(true);
    expect(groupCanned([], ma)).toEqual([]);
  });

  it('offers only the scopes the navigator may save to, keeping an edited reply’s own', () => {
    expect(scopeChoices(ma, ['general', 'housing', 'public-security'])).toEqual(['public-security', 'general']);
    expect(scopeChoices(boss, ['general', 'housing'])).toEqual([null, 'general', 'housing']);
    expect(scopeChoices(boss, ['general'], 'civil-affairs')).toEqual([null, 'general', 'civil-affairs']);
    expect(scopeChoices({ role: 'navigator', skills: [] }, ['general'])).toEqual([]);
  });

  it('puts the service’s refusal next to the field it names, and the rest above the buttons', () => {
    expect(cannedFormError({ code: 'DB_MISSING_FIELD', message: 'Missing required field "text"' })).toEqual({ field: 'text', text: '此项不能为空' });
    expect(cannedFormError({ code: 'DB_INVALID_FIELD', message: 'Invalid field "title": must be at most 40 characters' })).toEqual({ field: 'title', text: '不能超过 40 个字' });
    expect(cannedFormError({ code: 'DB_INVALID_FIELD', message: 'Invalid field "skill": must be a string' })).toEqual({ field: 'skill', text: '操作失败：Invalid field "skill": must be a string' });
    expect(cannedFormError({ code: 'DB_FORBIDDEN', message: 'Only supervisors may save shared canned replies (field "skill")' })).toEqual({ field: 'skill', text: '您不能把快捷回复保存到这个范围' });
    expect(cannedFormError({ code: 'DB_FORBIDDEN', message: 'Canned reply "greeting" is shared; only supervisors may change it' })).toEqual({ text: '您没有修改这条快捷回复的权限' });
    expect(cannedFormError({ code: 'DB_NOT_FOUND', message: 'Canned reply "x" not found' })).toEqual({ text: '这条快捷回复已被删除' });
    expect(cannedFormError({ code: 'timeout', message: 'no answer from the server' })).toEqual({ text: '服务器未响应，请稍后重试' });
    expect(cannedFormError({ code: 'DB_INTERNAL', message: 'Internal error' })).toEqual({ text: '操作失败：Internal error' });
  });
});
