/**
 * Answer text → what the avatar says (`spoken`) and a viseme timeline to move its mouth by.
 *
 * Chinese: numbers are read aloud (normalize-zh), pinyin-pro gives each character its reading in context (its
 * segmenter settles polyphones: 重庆 chóng, 重新 chóng, 银行 háng, 行走 xíng), and each syllable is split into
 * mouth shapes (pinyin-visemes). Mandarin is close to syllable-timed, so every syllable gets the same time and its
 * shapes share it by weight. English: numbers as words, letters and digraphs to shape classes.
 * Times are milliseconds at speech rate 1; a client speaking faster scales them.
 */
import { pinyin } from 'pinyin-pro';
import { englishWordVisemes, normalizeEn } from './english.ts';
import { normalizeZh } from './normalize-zh.ts';
import { syllableVisemes, type Viseme } from './pinyin-visemes.ts';
import { plainText } from './plain-text.ts';

export type SpeechLang = 'zh' | 'en';

export interface VisemeCue {
  /** Start, ms from the beginning. */
  t: number;
  /** Duration, ms. */
  d: number;
  viseme: Viseme;
  /** The spoken character (zh) or word (en) this shape belongs to; "" for pauses. */
  char: string;
  /** Index of `char` in `spoken`, for highlighting subtitles. */
  index: number;
  /** The pinyin unit or letter group. */
  phone?: string;
}

export interface VisemeTimeline {
  lang: SpeechLang;
  /** The text as read aloud (numbers in words); give this to the speech synthesiser. */
  spoken: string;
  timeline: VisemeCue[];
  /** ms */
  duration: number;
}

/** Time per Mandarin syllable, per English shape, and for pauses (ms). */
export const TIMING = { syllable: 230, englishUnit: 75, wordGap: 40, shortPause: 220, longPause: 380 } as const;

const SHORT_PAUSE = /[，,、；;：:（）()“”"'‘’—…\-]/;
const LONG_PAUSE = /[。.!！?？\n]/;
const CJK = /[\u3400-\u9fff]/;

class Builder {
  readonly cues: VisemeCue[] = [];
  at = 0;

  push(viseme: Viseme, d: number, char: string, index: number, phone?: string): void {
    const last = this.cues[this.cues.length - 1];
    if (last && viseme === 'sil' && last.viseme === 'sil') {
      // pause after pause ("。\n"): the longer one
      if (d > last.d) {
        this.at += d - last.d;
        last.d = d;
      }
      return;
    }
    // one shape held across adjacent units of the same character is one cue
    if (last && last.viseme === viseme && last.char === char && last.index === index && last.t + last.d === this.at) last.d += d;
    else this.cues.push({ t: this.at, d, viseme, char, index, ...(phone ? { phone } : {}) });
    this.at += d;
  }

  pause(d: number, index: number): void {
    if (!this.cues.length) return; // no silence before the first sound
    this.push('sil', d, '', index);
  }

  word(word: string, index: number): void {
    const units = englishWordVisemes(word);
    for (const u of units) this.push(u.viseme, TIMING.englishUnit, word, index, u.phone);
  }

  syllable(syllable: string, char: string, index: number): void {
    const units = syllableVisemes(syllable);
    const total = units.reduce((s, u) => s + u.weight, 0);
    let used = 0;
    units.forEach((u, k) => {
      const d = k === units.length - 1 ? TIMING.syllable - used : Math.round((TIMING.syllable * u.weight) / total);
      used += d;
      this.push(u.viseme, d, char, index, u.phone);
    });
  }

  finish(spoken: string, lang: SpeechLang): VisemeTimeline {
    // end on a closed mouth; a trailing pause is not part of the speech
    while (this.cues.length && this.cues[this.cues.length - 1]!.viseme === 'sil') this.cues.pop();
    const last = this.cues[this.cues.length - 1];
    const duration = last ? last.t + last.d : 0;
    if (last) this.cues.push({ t: duration, d: 0, viseme: 'sil', char: '', index: spoken.length });
    return { lang, spoken, timeline: this.cues, duration };
  }
}

/** Walks the spoken text: Chinese characters by syllable, Latin words by letters, punctuation as pauses. */
function buildZh(spoken: string, b: Builder): void {
  const chars = [...spoken];
  const readings = pinyin(spoken, { type: 'array', toneType: 'none', v: true }) as string[];
  const aligned = readings.length === chars.length;
  let index = 0;
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k]!;
    const at = index;
    index += ch.length;
    if (CJK.test(ch)) {
      const reading = aligned ? readings[k]! : (pinyin(ch, { toneType: 'none', v: true }) as string);
      if (/^[a-zü]+$/.test(reading)) b.syllable(reading, ch, at);
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let word = ch;
      while (k + 1 < chars.length && /[A-Za-z]/.test(chars[k + 1]!)) {
        word += chars[++k];
        index += 1;
      }
      b.word(word, at);
      continue;
    }
    if (LONG_PAUSE.test(ch)) b.pause(TIMING.longPause, at);
    else if (SHORT_PAUSE.test(ch)) b.pause(TIMING.shortPause, at);
  }
}

function buildEn(spoken: string, b: Builder): void {
  const re = /[A-Za-z']+|[^A-Za-z'\s]|\s+/g;
  for (let m = re.exec(spoken); m; m = re.exec(spoken)) {
    const token = m[0];
    if (/^[A-Za-z']+$/.test(token)) {
      b.word(token, m.index);
      b.at += TIMING.wordGap;
    } else if (LONG_PAUSE.test(token)) b.pause(TIMING.longPause, m.index);
    else if (SHORT_PAUSE.test(token)) b.pause(TIMING.shortPause, m.index);
    else if (CJK.test(token)) buildZh(token, b);
  }
}

/** The language to read `text` in when the client does not say: Chinese as soon as it has Chinese characters. */
export function guessLang(text: string): SpeechLang {
  return CJK.test(text) ? 'zh' : 'en';
}

export function visemeTimeline(text: string, lang: SpeechLang = guessLang(text)): VisemeTimeline {
  const plain = plainText(text);
  const spoken = lang === 'zh' ? normalizeZh(plain) : normalizeEn(plain);
  const b = new Builder();
  if (lang === 'zh') buildZh(spoken, b);
  else buildEn(spoken, b);
  return b.finish(spoken, lang);
}

