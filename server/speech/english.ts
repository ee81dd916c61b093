/**
 * English for the avatar: numbers read as words, and a letter/phoneme-class mapping to mouth shapes
 * (digraphs first: th, sh, ch, ph, ng, ee, oo...). Coarse by design; English answers are the minority.
 */
import type { Viseme } from './pinyin-visemes.ts';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function under1000(n: number): string {
  const parts: string[] = [];
  if (n >= 100) {
    parts.push(`${ONES[Math.floor(n / 100)]} hundred`);
    n %= 100;
  }
  if (n >= 20) parts.push(TENS[Math.floor(n / 10)]! + (n % 10 ? `-${ONES[n % 10]}` : ''));
  else if (n > 0 || !parts.length) parts.push(ONES[n]!);
  return parts.join(' ');
}

/** 0..999,999,999 as words; longer numbers digit by digit. */
export function englishNumber(digits: string): string {
  const n = Number(digits);
  if (digits.length > 9 || !Number.isSafeInteger(n)) return [...digits].map((d) => ONES[Number(d)] ?? d).join(' ');
  if (n === 0) return 'zero';
  const parts: string[] = [];
  const millions = Math.floor(n / 1e6);
  const thousands = Math.floor(n / 1e3) % 1000;
  const rest = n % 1000;
  if (millions) parts.push(`${under1000(millions)} million`);
  if (thousands) parts.push(`${under1000(thousands)} thousand`);
  if (rest) parts.push(under1000(rest));
  return parts.join(' ');
}

/** Numbers as words; phone-like and ID-like digit strings (7+ digits, or with dashes) digit by digit. */
export function normalizeEn(text: string): string {
  return text
    .replace(/(\d{4})-(\d{2})-(\d{2})/g, (_m, y: string, mo: string, d: string) => `${englishNumber(y.slice(0, 2))} ${englishNumber(y.slice(2))} ${englishNumber(mo)} ${englishNumber(d)}`)
    .replace(/\b(call|phone|dial|hotline|tel\.?|number)(\s*:?\s*)(\d{3,})/gi, (_m, cue: string, sp: string, n: string) => `${cue}${sp}${[...n].map((d) => ONES[Number(d)]).join(' ')}`)
    .replace(/\d+(?:-\d+)+|\d{7,}/g, (m) => [...m].filter((c) => c !== '-').map((d) => ONES[Number(d)]).join(' '))
    .replace(/[¥￥]\s*(\d+)/g, (_m, n: string) => `${englishNumber(n)} yuan`)
    .replace(/(\d+)\s*%/g, (_m, n: string) => `${englishNumber(n)} percent`)
    .replace(/\d+/g, (m) => englishNumber(m));
}

const DIGRAPHS: Array<[string, Viseme]> = [
  ['th', 'TH'], ['sh', 'CH'], ['ch', 'CH'], ['ph', 'FF'], ['ng', 'nn'], ['ck', 'kk'], ['qu', 'kk'], ['wh', 'U'],
  ['ee', 'I'], ['ea', 'I'], ['oo', 'U'], ['ou', 'O'], ['ow', 'O'], ['ai', 'E'], ['ay', 'E'], ['oi', 'O'], ['oy', 'O'], ['au', 'O'],
];

const LETTER: Record<string, Viseme> = {
  a: 'aa', e: 'E', i: 'I', o: 'O', u: 'U', y: 'I',
  b: 'PP', p: 'PP', m: 'PP', f: 'FF', v: 'FF',
  d: 'DD', t: 'DD', n: 'nn', l: 'nn',
  k: 'kk', g: 'kk', c: 'kk', q: 'kk', x: 'kk', h: 'kk',
  s: 'SS', z: 'SS', j: 'CH', r: 'RR', w: 'U',
};

/** Mouth shapes of one English word, each with its letter group. Silent final e is dropped. */
export function englishWordVisemes(word: string): Array<{ viseme: Viseme; phone: string }> {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length > 2 && w.endsWith('e') && !/[aeiou]e$/.test(w)) w = w.slice(0, -1);
  const out: Array<{ viseme: Viseme; phone: string }> = [];
  for (let i = 0; i < w.length;) {
    const pair = w.slice(i, i + 2);
    const digraph = DIGRAPHS.find(([g]) => g === pair);
    if (digraph) {
      out.push({ viseme: digraph[1], phone: pair });
      i += 2;
      continue;
    }
    const ch = w[i]!;
    // a doubled consonant is one sound
    if (ch !== w[i - 1] || 'aeiou'.includes(ch)) out.push({ viseme: LETTER[ch] ?? 'E', phone: ch });
    i++;
  }
  return out;
}
