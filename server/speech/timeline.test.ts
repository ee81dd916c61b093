import { describe, expect, it } from 'vitest';
import { TIMING, visemeTimeline, type VisemeTimeline } from './timeline.ts';

/** Cues per spoken character, in order, with their pinyin units. */
function phonesOf(tl: VisemeTimeline, char: string): string[] {
  return tl.timeline.filter((c) => c.char === char).map((c) => c.phone ?? '');
}

function expectWellFormed(tl: VisemeTimeline): void {
  let end = 0;
  for (const c of tl.timeline) {
    expect(c.t).toBeGreaterThanOrEqual(end);
    expect(c.d).toBeGreaterThanOrEqual(0);
    end = c.t + c.d;
  }
  expect(tl.duration).toBe(end);
  expect(tl.timeline[tl.timeline.length - 1]).toMatchObject({ viseme: 'sil', d: 0 });
}

describe('visemeTimeline (Chinese)', () => {
  it('gives every syllable the same time and lays cues end to end', () => {
    const tl = visemeTimeline('居住证');
    expectWellFormed(tl);
    expect(tl.duration).toBe(3 * TIMING.syllable);
    expect(tl.timeline.filter((c) => c.char === '居').reduce((s, c) => s + c.d, 0)).toBe(TIMING.syllable);
  });

  it('reads polyphones by context: 重庆/重新, 银行/行走', () => {
    expect(phonesOf(visemeTimeline('重庆'), '重')[0]).toBe('ch');
    expect(phonesOf(visemeTimeline('重新办理'), '重')[0]).toBe('ch');
    expect(phonesOf(visemeTimeline('重要'), '重')[0]).toBe('zh');
    expect(phonesOf(visemeTimeline('去银行'), '行')).toEqual(['h', 'ang', 'ang']);
    expect(phonesOf(visemeTimeline('行走'), '行')).toEqual(['x', 'ing', 'ing']);
  });

  it('moves the mouth for y/w syllables', () => {
    const tl = visemeTimeline('我要用一下');
    for (const ch of ['我', '要', '用', '一']) expect(tl.timeline.some((c) => c.char === ch && c.viseme !== 'sil')).toBe(true);
  });

  it('keeps the mouth spread-less on apical vowels (是, 四)', () => {
    expect(visemeTimeline('是').timeline.filter((c) => c.char === '是').map((c) => c.viseme)).toEqual(['CH']);
    expect(visemeTimeline('四').timeline.filter((c) => c.char === '四').map((c) => c.viseme)).toEqual(['SS']);
  });

  it('speaks the numbers it reads out and times them as syllables', () => {
    const tl = visemeTimeline('2026年起，15个工作日内办结。');
    expect(tl.spoken).toBe('二零二六年起，十五个工作日内办结。');
    expect(tl.timeline.some((c) => c.char === '零')).toBe(true);
    const phone = visemeTimeline('请拨打12345');
    expect(phone.spoken).toBe('请拨打幺二三四五');
    expect(phonesOf(phone, '幺')[0]).toBe('iao');
  });

  it('pauses at punctuation but never before the first sound or after the last', () => {
    const tl = visemeTimeline('。你好，世界。\n\n');
    expectWellFormed(tl);
    expect(tl.timeline[0]!.viseme).not.toBe('sil');
    const pauses = tl.timeline.filter((c) => c.viseme === 'sil' && c.d > 0);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]!.d).toBe(TIMING.shortPause);
  });

  it('reads markdown as plain text and Latin words inside Chinese by letters', () => {
    const tl = visemeTimeline('在**京通APP**办理，见[指南](https://example.test/a)');
    expect(tl.spoken).toBe('在京通APP办理，见指南');
    expect(tl.timeline.some((c) => c.char === 'APP' && c.viseme === 'PP')).toBe(true);
    expect(tl.spoken.slice(tl.timeline.find((c) => c.char === '指')!.index)).toBe('指南');
  });
});

describe('visemeTimeline (English)', () => {
  it('maps letters and digraphs to shape classes with numbers as words', () => {
    const tl = visemeTimeline('Bring 2 photos.', 'en');
    expectWellFormed(tl);
    expect(tl.spoken).toBe('Bring two photos.');
    expect(tl.timeline.filter((c) => c.char === 'photos').map((c) => c.viseme)[0]).toBe('FF');
    expect(tl.timeline.filter((c) => c.char === 'Bring').map((c) => c.viseme)).toEqual(['PP', 'RR', 'I', 'nn']);
  });

  it('guesses the language from the text when none is given', () => {
    expect(visemeTimeline('Hello').lang).toBe('en');
    expect(visemeTimeline('你好').lang).toBe('zh');
  });

  it('returns an empty timeline for text with nothing to say', () => {
    expect(visemeTimeline('……', 'zh')).toMatchObject({ timeline: [], duration: 0 });
  });
});
