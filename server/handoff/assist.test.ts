import { describe, expect, it } from 'vitest';
import { createKbSuggest } from './assist.ts';
import { fixtureKb } from './testing/fixture-kb.ts';

describe('createKbSuggest', () => {
  it('turns search hits into cited replies, skipping unknown ones', async () => {
    const kb = fixtureKb();
    const asked: string[] = [];
    const suggest = createKbSuggest(() => kb, async (q) => {
      asked.push(q);
      return [
        { docId: 'item:rp-first', kind: 'item', refId: 'rp-first', itemId: 'rp-first', title: '', score: 1, matchedTerms: [] },
        { docId: 'faq:gone', kind: 'faq', refId: 'gone', title: '', score: 0.5, matchedTerms: [] },
      ];
    });
    const out = await suggest('居住证要什么材料');
    expect(asked).toEqual(['居住证要什么材料']);
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toContain('居民身份证（原件）');
    expect(out[0]!.citation).toMatchObject({ id: 'rp-first', kind: 'item', url: 'https://banshi.beijing.gov.cn/rp-first' });
  });
});
