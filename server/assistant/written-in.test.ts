import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.ts';
import { writtenIn } from './written-in.ts';

describe('writtenIn', () => {
  it('tells, like String.includes, which words a text holds', () => {
    const text = '朝阳区居住证到期了怎么续签𠮷野家 id card';
    const inText = writtenIn(text);
    const words = ['居住证', '居住证续签', '续签', '朝阳区居住证', '海淀区', '𠮷野', '𠮷', '野家', 'card', 'cards', ' ', '', '签', '签注'];
    expect(words.filter(inText)).toEqual(words.filter((w) => text.includes(w)));
    // every slice of the text, and each with a character changed
    const rand = seededRandom(3);
    for (let i = 0; i < 500; i++) {
      const start = Math.floor(rand() * text.length);
      const slice = text.slice(start, start + 1 + Math.floor(rand() * 6));
      const changed = slice.slice(0, -1) + String.fromCharCode(0x4e00 + Math.floor(rand() * 200));
      for (const w of [slice, changed]) expect(inText(w)).toBe(text.includes(w));
    }
  });
});
