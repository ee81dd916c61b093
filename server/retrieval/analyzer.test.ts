import { describe, expect, it } from 'vitest';
import { Analyzer, stemEnglish } from './analyzer.ts';
import { MINI_SYNONYMS } from './fixtures/mini-kb.ts';
import { getSegmenter } from './segmenter.ts';

const analyzer = new Analyzer(getSegmenter(), MINI_SYNONYMS, ['一网通办', '断缴']);

describe('segmenter', () => {
  it('is one instance per process', () => {
    expect(getSegmenter()).toBe(getSegmenter());
  });

  it('re-cuts a remembered text when a word is added, and callers cannot change what it remembers', () => {
    const seg = getSegmenter();
    const text = '申请办理蓝鲸踏浪证明';
    const before = seg.cutForSearch(text);
    expect(before).not.toContain('蓝鲸踏浪');
    before.push('changed by the caller');
    expect(seg.cutForSearch(text)).not.toContain('changed by the caller');
    seg.addWords(['蓝鲸踏浪']);
    expect(seg.cutForSearch(text)).toContain('蓝鲸踏浪');
  });

  it('keeps user-dictionary words whole', () => {
    expect(getSegmenter().cut('企业开办一网通办平台')).toContain('一网通办');
    expect(analyzer.analyze('社保断缴了怎么办').tokens).toContain('断缴');
  });
});

describe('Analyzer', () => {
  it('segments in search mode and drops stop words', () => {
    const { tokens } = analyzer.analyze('请问我想办理营业执照需要什么');
    expect(tokens).toEqual(expect.arrayContaining(['办理', '营业', '执照', '营业执照']));
    for (const stop of ['请问', '我', '想', '需要', '什么']) expect(tokens).not.toContain(stop);
  });

  it('expands a variant to its synonym group, and the canonical term to its variants', () => {
    const short = analyzer.analyze('公积金怎么提取');
    expect(short.expansions).toEqual(expect.arrayContaining(['住房公积金']));
    expect(analyzer.queryTerms(short)).toContain('住房公积金');
    const long = analyzer.analyze('住房公积金提取');
    expect(long.tokens).toEqual(expect.arrayContaining(['住房公积金', '公积金']));
    expect(long.expansions).not.toContain('公积金'); // already a token
    expect(analyzer.analyze('户口簿').expansions).toEqual(['户口本']);
    const social = analyzer.analyze('社保缴费记录');
    expect(social.expansions).toEqual(expect.arrayContaining(['社会保险', '五险']));
    expect(analyzer.queryTerms(analyzer.analyze('社会保险'))).not.toContain('社保');
  });

  it('indexes the canonical term next to the variant a document uses', () => {
    expect(analyzer.termsForIndex('社保缴费证明')).toEqual(expect.arrayContaining(['社保', '社会保险']));
    expect(analyzer.termsForIndex('户口本丢了')).toContain('户口簿');
  });

  it('fixes typos before segmenting, including typo variants carried by synonym groups', () => {
    expect(analyzer.analyze('身分证').tokens).toContain('身份证');
    const q = analyzer.analyze('公基金提取');
    expect(analyzer.queryTerms(q)).toContain('住房公积金');
  });

  it('tokenises English words: lower case, stop words removed, light stemming', () => {
    const { tokens } = analyzer.analyze('How do I apply for Residence Permits?');
    expect(tokens).toEqual(['apply', 'residence', 'permit']);
    expect(stemEnglish('certificates')).toBe('certificate');
    expect(stemEnglish('policies')).toBe('policy');
    expect(stemEnglish('renewing')).toBe('renew');
    expect(stemEnglish('address')).toBe('address');
  });

  it('scores an English query in both spellings of a word, as the knowledge base writes either', () => {
    const terms = (q: string) => analyzer.queryTerms(analyzer.analyze(q));
    expect(terms("driver's licenses")).toEqual(expect.arrayContaining(['license', 'licence']));
    expect(terms('service centre')).toEqual(expect.arrayContaining(['centre', 'center']));
    expect(analyzer.analyze('school enrollment').expansions).toEqual(['enrolment']);
    // documents are indexed as written
    expect(analyzer.termsForIndex('driving licence')).toEqual(['driv', 'licence']);
  });

  it('handles mixed Chinese and English', () => {
    const { tokens } = analyzer.analyze('办理 ID card 居住证');
    expect(tokens).toEqual(expect.arrayContaining(['id', 'card', '居住证']));
  });

  it('does not throw on empty or odd input', () => {
    expect(analyzer.analyze('').tokens).toEqual([]);
    expect(analyzer.analyze('？？？').normalized).toBe('');
    expect(analyzer.analyze('😀😀').tokens).toEqual([]);
  });
});
