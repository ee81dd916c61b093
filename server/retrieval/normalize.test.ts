import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.ts';

describe('normalizeText', () => {
  it('turns full-width letters, digits and spaces into half-width and lower case', () => {
    expect(normalizeText('ＡＢＣ１２３　办理')).toBe('abc123 办理');
  });

  it('converts traditional characters to simplified', () => {
    expect(normalizeText('辦理居住證需要什麼材料')).toBe('办理居住证需要什么材料');
    expect(normalizeText('護照過期了')).toBe('护照过期了');
  });

  it('fixes common typos', () => {
    expect(normalizeText('身分证丢了')).toBe('身份证丢了');
    expect(normalizeText('户口薄补办')).toBe('户口本补办');
    expect(normalizeText('公积经怎么取')).toBe('公积金怎么取');
    // homophones a pinyin keyboard offers first
    expect(normalizeText('身份正丢了怎么半')).toBe('身份证丢了怎么办');
  });

  it('replaces punctuation (Chinese and ASCII) with single spaces and trims', () => {
    expect(normalizeText('  居住证，怎么办？！  (急)  ')).toBe('居住证 怎么办 急');
    expect(normalizeText('京政发〔2016〕3号')).toBe('京政发 2016 3号');
  });

  it('can skip the traditional conversion for text known to be simplified', () => {
    expect(normalizeText('居住證', { traditional: false })).toBe('居住證');
  });

  it('returns an empty string for blank or punctuation-only input', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' ？？！ ')).toBe('');
  });
});
