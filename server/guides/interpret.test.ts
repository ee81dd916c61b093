import { describe, expect, it } from 'vitest';
import { BY_PROXY, HOUSEHOLD, item, kbOf, KIND, material } from './fixtures.ts';
import { createGuides } from './index.ts';
import { interpretOption } from './interpret.ts';

describe('interpretAnswer: free text → option', () => {
  const guides = createGuides(kbOf([
    item('t', [BY_PROXY, KIND, HOUSEHOLD], [
      material('a', { 'by-proxy': 'proxy' }), material('b', { 'application-kind': 'lost' }), material('c', { household: 'local' }),
      material('always'),
    ]),
  ]));
  const ask = (qid: string, text: string) => guides.interpretAnswer('t', qid, text, 'zh');

  it('matches hints inside natural sentences', () => {
    expect(ask('by-proxy', '我是替我爸办的')).toBe('proxy');
    expect(ask('by-proxy', '我自己去办')).toBe('self');
    expect(ask('application-kind', '第一次办')).toBe('first');
    expect(ask('application-kind', '身份证丢了，要补办')).toBe('lost');
    expect(ask('application-kind', '快过期了')).toBe('renewal');
  });
  it('matches labels, English labels, option ids and positions', () => {
    expect(ask('by-proxy', '委托他人代办')).toBe('proxy');
    expect(ask('by-proxy', 'By proxy')).toBe('proxy');
    expect(ask('by-proxy', 'in person, please')).toBe('self');
    expect(ask('application-kind', 'renewal')).toBe('renewal');
    expect(ask('application-kind', '2')).toBe('renewal');
    expect(ask('application-kind', '9')).toBeUndefined();
  });
  it('reads free English by the words of one option\'s English label that no other option\'s has', () => {
    expect(ask('application-kind', 'my card was stolen last week')).toBe('lost');
    expect(ask('application-kind', 'I lost it')).toBe('lost');
    expect(ask('household', 'I have a non-Beijing hukou')).toBe('nonlocal');
    // a word every option's label shares (hukou) tells none apart
    expect(ask('household', 'what is a hukou')).toBeUndefined();
  });
  it('prefers the longest phrase ("非北京市户籍" is not "北京市户籍")', () => {
    expect(ask('household', '非北京市户籍')).toBe('nonlocal');
    expect(ask('household', '北京市户籍')).toBe('local');
  });
  it('understands a negated option on a two-option question', () => {
    expect(ask('household', '我不是北京户口')).toBe('nonlocal');
    expect(ask('by-proxy', '不是我本人')).toBe('proxy');
    // Three options: "not the first time" leaves two, so it stays unclear.
    expect(ask('application-kind', '不是第一次')).toBeUndefined();
  });
  it('gives undefined for unrelated, empty or ambiguous text', () => {
    expect(ask('by-proxy', '今天天气不错')).toBeUndefined();
    expect(ask('by-proxy', '   ')).toBeUndefined();
    expect(interpretOption(BY_PROXY, '本人委托')).toBeUndefined();
  });
  it('English phrases match whole words only', () => {
    expect(interpretOption(
      { id: 'q', text: 'q', options: [{ id: 'self', label: '本人', labelEn: 'self', hints: [] }, { id: 'other', label: '他人', hints: [] }] },
      'herself',
    )).toBeUndefined();
  });
  it('rejects an unknown question', () => {
    expect(() => ask('colour', 'red')).toThrow(/Unknown question "colour"/);
  });
});

describe('interpretOption: a question\'s phrases', () => {
  it('are worked out once per question, however many answers are read against it', () => {
    let hintReads = 0;
    const counted = {
      ...HOUSEHOLD,
      options: HOUSEHOLD.options.map((o) => Object.defineProperty({ ...o }, 'hints', { get: () => (hintReads++, o.hints), enumerable: true })),
    };
    const first = interpretOption(counted, '我是北京户口');
    expect(first).toBe(interpretOption(HOUSEHOLD, '我是北京户口'));
    expect(first).toBeDefined();
    const reads = hintReads;
    expect(reads).toBe(HOUSEHOLD.options.length);
    for (const text of ['外地户口', '不是北京户籍', '本市户籍']) interpretOption(counted, text);
    expect(hintReads).toBe(reads);
  });
});
