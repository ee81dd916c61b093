/**
 * Dice coefficient between short texts: over character bigrams for Chinese (whitespace ignored), over words for
 * ASCII-only pairs. Bigrams are packed into numbers (two code points in one safe integer), so comparing a
 * question with every name of a few dozen candidates allocates no strings; a side compared many times can
 * have its grams computed once with `gramsOf`.
 */

import { boundedMemo } from './memo.ts';

export type Grams = ReadonlySet<number | string>;

const CODE_POINTS = 0x110000;

function isSpace(cp: number): boolean {
  return cp === 32 || (cp >= 9 && cp <= 13) || cp === 0xa0 || cp === 0x3000 || cp === 0xfeff || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x1680;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Distinct bigrams of `s`; a single character stands for itself (below every packed pair, so they never collide). */
function bigrams(s: string): Set<number> {
  const out = new Set<number>();
  let prev = -1;
  let count = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isSpace(cp)) continue;
    if (prev >= 0) out.add(prev * CODE_POINTS + cp);
    prev = cp;
    count++;
  }
  if (count === 1) out.add(prev);
  return out;
}

function words(s: string): Set<string> {
  return new Set(s.split(/\W+/).filter((w) => w.length > 1));
}

/** The grams `s` is compared by: words when `latin` (both sides ASCII), character bigrams otherwise. */
export function gramsOf(s: string, latin = false): Grams {
  return latin ? words(s) : bigrams(s);
}

export function dice(a: Grams, b: Grams): number {
  if (!a.size || !b.size) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const g of small) if (large.has(g)) common++;
  return (2 * common) / (a.size + b.size);
}

/** Dice coefficient over character bigrams (words for Latin text). */
export function similarity(a: string, b: string): number {
  const latin = isAscii(a) && isAscii(b);
  return dice(gramsOf(a, latin), gramsOf(b, latin));
}

/**
 * Bigram lists of the texts questions are compared with (item names, FAQ questions): they recur from question to
 * question. Bounded; a list is a few doubles, so 20,000 of them stay within a few MB.
 */
const bigramList = boundedMemo(20_000, (s: string): readonly number[] => [...bigrams(s)]);

/**
 * `similarity(a, ·)` for comparing one text with many (a question with item names or FAQ questions): `a`'s grams
 * are computed once, and those of the texts it is compared with are remembered.
 */
export function similarityTo(a: string): (b: string) => number {
  const ascii = isAscii(a);
  const chars = gramsOf(a, false);
  let latinWords: Grams | undefined;
  return (b) => {
    if (ascii && isAscii(b)) return dice((latinWords ??= gramsOf(a, true)), gramsOf(b, true));
    const list = bigramList(b);
    if (!chars.size || !list.length) return 0;
    let common = 0;
    for (const g of list) if (chars.has(g)) common++;
    return (2 * common) / (chars.size + list.length);
  };
}
