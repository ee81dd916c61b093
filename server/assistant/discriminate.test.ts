import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { createFixtureRetriever } from './__fixtures__/retriever.ts';
import { detectAspect } from './aspects.ts';
import { actionsIn, discriminate, namesHold, questionTerms, warmItemTerms } from './discriminate.ts';
import { familyOf } from './resolve.ts';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadFixtureKb();
});

describe('discriminate', () => {
  it('reads action classes in Chinese and English', () => {
    expect(actionsIn('个体户营业执照怎么注销')).toContain('act:deregister');
    // closing the business in plain words
    for (const q of ['个体户不干了', '公司不想干了', '店不打算再开了']) expect(actionsIn(q), q).toContain('act:deregister');
    expect(actionsIn('居住证丢了怎么补')).toContain('act:reissue');
    expect(actionsIn('创业补贴怎么领')).not.toContain('act:reissue');
    expect(actionsIn('I lost my ID card')).toContain('act:reissue');
    // cancelling a company is closing it (注销); cancelling a mortgage registration is 解押
    expect(actionsIn('how do i cancel my company')).toEqual(['act:deregister']);
    expect(actionsIn('cancel my mortgage registration')).toEqual(['act:cancel']);
  });

  it('picks the family member an action word points to, and none when nothing tells them apart', () => {
    const retriever = createFixtureRetriever(kb);
    const family = familyOf(kb, kb.itemsById.get('residence-permit-first')!);
    expect(discriminate(kb, retriever, family, '居住证快到期了要续签').item?.id).toBe('residence-permit-endorsement');
    expect(discriminate(kb, retriever, family, '居住证不见了要补办').item?.id).toBe('residence-permit-reissue');
    expect(discriminate(kb, retriever, family, '居住证怎么收费').item).toBeUndefined();
  });

  it('reads 补上 / 补写 as adding to a document, not reissuing it', () => {
    expect(actionsIn('出生证上没写爸爸 后来能补上吗')).not.toContain('act:reissue');
    expect(actionsIn('出生证丢了能补吗')).toContain('act:reissue');
  });

  it('analyses a question once however often its terms are read', () => {
    const base = createFixtureRetriever(kb);
    const analysed: string[] = [];
    const counting = { ...base, analyze: (text: string) => (analysed.push(text), base.analyze(text)) };
    const terms = questionTerms(counting, '居住证丢了怎么补办');
    expect(terms).toContain('act:reissue');
    expect(questionTerms(counting, '居住证丢了怎么补办')).toBe(terms);
    expect(analysed).toHaveLength(1);
    expect(questionTerms(base, '居住证丢了怎么补办')).toEqual(terms); // per retriever
  });

  it('finds a compound term in names that hold only its parts', () => {
    // "签注延期" is one word of the question; the endorsement's names hold 签注 (居住证签注) and 延期 (居住证延期) apart
    const words = ['签注延期', '居住证', '签注', '延期'];
    const base = createFixtureRetriever(kb);
    const retriever = { ...base, analyze: (q: string) => ({ original: q, normalized: q, tokens: longestWords(q, words), expansions: [] }) };
    const pair = [kb.itemsById.get('residence-permit-endorsement')!, kb.itemsById.get('residence-permit-reissue')!];
    // the reissue's names first: the endorsement's parts are not known yet when the question term is first looked up
    expect([...pair].reverse().map((item) => namesHold(retriever, item, '签注延期'))).toEqual([false, true]);
    expect(pair.map((item) => namesHold(retriever, item, '签注延期'))).toEqual([true, false]);
    expect(pair.map((item) => namesHold(retriever, item, '延期签注'))).toEqual([true, false]);
    expect(pair.map((item) => namesHold(retriever, item, '签注补领'))).toEqual([false, false]);
  });

  it('counts a compound term for every member holding its parts, and a lone leftover character weakly', () => {
    // a segmenter that keeps the longest known word: "居住证签注" whole in the question, split in the names
    const words = ['居住证签注', '居住证', '签注', '补领', '补办', '贷'];
    const base = createFixtureRetriever(kb);
    const retriever = { ...base, analyze: (q: string) => ({ original: q, normalized: q, tokens: longestWords(q, words), expansions: [] }) };
    const pair = [kb.itemsById.get('residence-permit-endorsement')!, kb.itemsById.get('residence-permit-reissue')!];
    // both hold 居住证; only the endorsement holds 签注, so the compound tells them apart as 签注 alone would
    expect(discriminate(kb, retriever, pair, '居住证签注').item?.id).toBe('residence-permit-endorsement');
    const first = kb.itemsById.get('residence-permit-first')!;
    const withFirst = [first, ...pair];
    const scores = discriminate(kb, retriever, withFirst, '居住证签注').scores;
    expect(scores.find((s) => s.item.id === 'residence-permit-endorsement')!.score).toBeGreaterThan(0);
    expect(scores.find((s) => s.item.id === 'residence-permit-first')!.score).toBe(0);
  });

  it('detects fee questions phrased by the fee name', () => {
    expect(detectAspect('登记费多少')).toBe('fee');
    expect(detectAspect('头一回办居住证收钱不')).toBe('fee');
  });
});

describe('warmItemTerms', () => {
  it('computes every item\'s terms ahead of questions, and stops once the retriever is replaced', async () => {
    const base = createFixtureRetriever(kb);
    let analyzed = 0;
    const counting = Object.assign(Object.create(base) as typeof base, {
      analyze: (text: string) => {
        analyzed++;
        return base.analyze(text);
      },
    });
    await warmItemTerms(counting, kb.items);
    expect(analyzed).toBeGreaterThan(kb.items.length); // every name of every item
    const afterWarm = analyzed;
    const family = familyOf(kb, kb.itemsById.get('residence-permit-first')!);
    expect(discriminate(kb, counting, family, '居住证快到期了要续签').item?.id).toBe('residence-permit-endorsement');
    expect(analyzed - afterWarm).toBe(1); // the question only: the items' terms were ready

    const replaced = Object.create(base) as typeof base;
    let calls = 0;
    replaced.analyze = (text: string) => (calls++, base.analyze(text));
    await warmItemTerms(replaced, kb.items, () => base);
    expect(calls).toBe(0);
  });
});

/** A segmenter that keeps the longest of `words` at each position and skips other characters. */
function longestWords(q: string, words: readonly string[]): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < q.length;) {
    const w = [...words].sort((a, b) => b.length - a.length).find((x) => q.startsWith(x, i));
    if (w) tokens.push(w);
    i += w ? w.length : 1;
  }
  return tokens;
}
