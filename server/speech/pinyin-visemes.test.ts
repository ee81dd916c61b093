import { describe, expect, it } from 'vitest';
import { splitSyllable, syllableVisemes } from './pinyin-visemes.ts';

const shapes = (s: string) => syllableVisemes(s).map((u) => u.viseme);

describe('splitSyllable', () => {
  it.each([
    ['yi', 'i'], ['ya', 'ia'], ['ye', 'ie'], ['yao', 'iao'], ['you', 'iou'], ['yan', 'ian'], ['yin', 'in'], ['yang', 'iang'],
    ['ying', 'ing'], ['yong', 'iong'], ['yu', 'ü'], ['yue', 'üe'], ['yuan', 'üan'], ['yun', 'ün'],
    ['wu', 'u'], ['wa', 'ua'], ['wo', 'uo'], ['wai', 'uai'], ['wei', 'uei'], ['wan', 'uan'], ['wen', 'uen'], ['wang', 'uang'], ['weng', 'ueng'],
  ])('reads y/w as spelling: %s has no initial and the final %s', (syllable, final) => {
    expect(splitSyllable(syllable)).toEqual({ initial: '', final });
  });

  it.each([
    ['ju', 'j', 'ü'], ['qu', 'q', 'ü'], ['xu', 'x', 'ü'], ['jue', 'j', 'üe'], ['quan', 'q', 'üan'], ['xun', 'x', 'ün'],
    ['lv', 'l', 'ü'], ['nü', 'n', 'ü'], ['lve', 'l', 'üe'], ['nüe', 'n', 'üe'],
  ])('finds the ü final in %s', (syllable, initial, final) => {
    expect(splitSyllable(syllable)).toEqual({ initial, final });
  });

  it.each([['liu', 'iou'], ['jiu', 'iou'], ['gui', 'uei'], ['dui', 'uei'], ['dun', 'uen'], ['lun', 'uen']])(
    'restores the contracted final of %s', (syllable, final) => {
      expect(splitSyllable(syllable).final).toBe(final);
    });

  it.each(['zi', 'ci', 'si', 'zhi', 'chi', 'shi', 'ri'])('marks the apical vowel of %s', (syllable) => {
    expect(splitSyllable(syllable).final).toBe('-i');
  });

  it('keeps two-letter initials whole and the i of ji/qi/xi a real i', () => {
    expect(splitSyllable('zhuang')).toEqual({ initial: 'zh', final: 'uang' });
    expect(splitSyllable('chong')).toEqual({ initial: 'ch', final: 'ong' });
    expect(splitSyllable('shui')).toEqual({ initial: 'sh', final: 'uei' });
    expect(splitSyllable('ji')).toEqual({ initial: 'j', final: 'i' });
    expect(splitSyllable('er')).toEqual({ initial: '', final: 'er' });
  });
});

describe('syllableVisemes', () => {
  it('maps initials to their place of articulation', () => {
    expect(shapes('ba')[0]).toBe('PP');
    expect(shapes('ma')[0]).toBe('PP');
    expect(shapes('fa')[0]).toBe('FF');
    expect(shapes('da')[0]).toBe('DD');
    expect(shapes('la')[0]).toBe('nn');
    expect(shapes('ga')[0]).toBe('kk');
    expect(shapes('zha')[0]).toBe('CH');
    expect(shapes('ran')[0]).toBe('RR');
    expect(shapes('sa')[0]).toBe('SS');
  });

  it('gives y/w syllables mouth shapes (never an empty syllable)', () => {
    expect(shapes('yi')).toEqual(['I']);
    expect(shapes('wo')).toEqual(['U', 'O']);
    expect(shapes('yao')).toEqual(['I', 'aa', 'U']);
    expect(shapes('yong')).toEqual(['U', 'O', 'nn']);
    expect(shapes('wei')).toEqual(['U', 'E', 'I']);
    expect(shapes('yu')).toEqual(['U', 'I']);
  });

  it('holds the initial through an apical vowel instead of spreading the lips for i', () => {
    expect(shapes('zhi')).toEqual(['CH']);
    expect(shapes('si')).toEqual(['SS']);
    expect(shapes('ri')).toEqual(['RR']);
    expect(shapes('ji')).toEqual(['SS', 'I']);
  });

  it('rounds the lips for ü finals and opens them for ian', () => {
    expect(shapes('lv')).toEqual(['nn', 'U', 'I']);
    expect(shapes('xue')).toEqual(['SS', 'U', 'E']);
    expect(shapes('tian')).toEqual(['DD', 'I', 'E', 'nn']);
  });

  it('still moves the mouth for a spelling it does not know', () => {
    expect(syllableVisemes('zzz').length).toBeGreaterThan(0);
  });
});
