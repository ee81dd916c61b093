import { describe, expect, it } from 'vitest';
import { dice, gramsOf, isAscii, similarity, similarityTo } from './dice.ts';

/** The definition, spelled out with string bigrams: what the packed implementation must equal. */
function reference(a: string, b: string): number {
  const latin = /^[\x00-\x7f]*$/.test(a + b);
  const grams = (s: string) => {
    // English words in lower case, their inflection dropped when longer than four letters
    if (latin) return new Set(s.split(/\W+/).filter((w) => w.length > 1).map((w) => (w.length > 4 ? w.toLowerCase().replace(/(?:ing|ed|es|s|e)$/, '') : w.toLowerCase())));
    const chars = Array.from(s.replace(/\s+/g, ''));
    const out = new Set<string>();
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
    if (chars.length === 1) out.add(chars[0]!);
    return out;
  };
  const A = grams(a);
  const B = grams(b);
  if (!A.size || !B.size) return 0;
  let common = 0;
  for (const g of A) if (B.has(g)) common++;
  return (2 * common) / (A.size + B.size);
}

const PAIRS: Array<[string, string]> = [
  ['居住证', '居住证首次申领'],
  ['北京市居住证首次申领', '居住证 首次 申领'],
  ['公积金提取', '住房公积金提取（租房）'],
  ['哈哈哈哈', '哈哈'],
  ['证', '证'],
  ['证', '身份证'],
  ['residence permit', 'Residence permit renewal'],
  ['marriage certificate replaced', 'replace a marriage certificate'],
  ['lost ID cards', 'lost ID card'],
  ['residence permit', '居住证'],
  ['𠀀𠀁𠀂', '𠀁𠀂'],
  // pairs mixing BMP and astral characters, the ends of the BMP, and one character beside a pair holding it
  ['居𠀀住', '𠀀住证'],
  ['\u9fff\u9fff', '\u9fff'],
  ['\uffff\u4e00', '\u4e00\uffff\u4e00'],
  ['\u0100\u0041', 'A'],
  ['', '居住证'],
  ['   ', '居住证'],
  ['a b', 'a b'],
  // longer than the scratch space a compared text starts with
  ['居住证首次申领', `${Array.from({ length: 150 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7)).join('')}居住证首次申领`],
];

describe('dice similarity', () => {
  it.each(PAIRS)('equals the string-bigram definition for %s / %s', (a, b) => {
    expect(similarity(a, b)).toBeCloseTo(reference(a, b), 12);
    expect(similarity(b, a)).toBeCloseTo(reference(a, b), 12);
  });

  it('is 1 for identical names and 0 for disjoint ones', () => {
    expect(similarity('居住证签注', '居住证签注')).toBe(1);
    expect(similarity('营业执照', '公积金')).toBe(0);
  });

  it('compares precomputed grams the same as strings', () => {
    const subject = gramsOf('居住证续签');
    for (const name of ['居住证签注', '居住证首次申领', '身份证']) expect(dice(subject, gramsOf(name))).toBe(similarity('居住证续签', name));
  });

  it('tells ASCII-only text', () => {
    expect(isAscii('permit 2')).toBe(true);
    expect(isAscii('permit 证')).toBe(false);
  });
});

describe('similarityTo', () => {
  it.each(PAIRS)('matches similarity for %s / %s', (a, b) => {
    expect(similarityTo(a)(b)).toBe(similarity(a, b));
  });
});

describe('similarityTo on texts with many repeated bigrams', () => {
  it('matches the definition for random texts over a small alphabet, short and long, one after another', () => {
    const alphabet = Array.from('居住证申领签注补换𠀀 ');
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const text = (max: number) => Array.from({ length: 1 + Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    const toA = similarityTo('居住证申领');
    for (let i = 0; i < 400; i++) {
      const b = text(i % 50 === 0 ? 600 : 30);
      expect(toA(b)).toBeCloseTo(reference('居住证申领', b), 12);
    }
  });
});
