/**
 * Dice coefficient between short texts: over character bigrams for Chinese (whitespace ignored), over words for
 * ASCII-only pairs (in lower case, inflections dropped: "replaced" is "replace"). Bigrams are packed into numbers
 * (gramKey), so comparing a question with every name of a few dozen candidates allocates no strings; a side
 * compared many times can have its grams computed once (`gramsOf`, `similarityTo`).
 */

export type Grams = ReadonlySet<number | string>;

const CODE_POINTS = 0x110000;
/** Keys of a text of one character (SINGLE + its code point), and of pairs with a character beyond the BMP. */
const SINGLE = 2 ** 33;
const ASTRAL_PAIR = 2 ** 34;

/**
 * A bigram as a number: two BMP characters (nearly every pair) in a 32-bit integer, which V8 keeps unboxed, so
 * looking one up in a Set allocates nothing; other pairs, rare, in a range of their own above single characters'.
 */
function gramKey(prev: number, cp: number): number {
  return prev < 0x10000 && cp < 0x10000 ? prev * 0x10000 + cp - 0x80000000 : ASTRAL_PAIR + prev * CODE_POINTS + cp;
}

function isSpace(cp: number): boolean {
  return cp === 32 || (cp >= 9 && cp <= 13) || cp === 0xa0 || cp === 0x3000 || cp === 0xfeff || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x1680;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Distinct bigrams of `s`; a single character stands for itself (SINGLE + its code point). */
function bigrams(s: string): Set<number> {
  const out = new Set<number>();
  let prev = -1;
  let count = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isSpace(cp)) continue;
    if (prev >= 0) out.add(gramKey(prev, cp));
    prev = cp;
    count++;
  }
  if (count === 1) out.add(SINGLE + prev);
  return out;
}

/** An English word without its inflection, roughly: "replaced", "replaces", "replace" → "replac"; short words stay. */
function stem(word: string): string {
  const w = word.toLowerCase();
  return w.length > 4 ? w.replace(/(?:ing|ed|es|s|e)$/, '') : w;
}

function words(s: string): Set<string> {
  return new Set(s.split(/\W+/).filter((w) => w.length > 1).map(stem));
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
 * The distinct bigrams of the text being compared, reused from one comparison to the next: an open-addressing
 * set whose slots count as empty unless stamped with the current comparison's number (so it is never cleared).
 */
let slots = new Float64Array(256);
let stamps = new Uint32Array(256);
let stamp = 0;

/** Starts a comparison of a text of `length` code units: an empty set with room for its bigrams. */
function startDistinct(length: number): void {
  if (2 * length > slots.length) {
    let size = slots.length;
    while (size < 2 * length) size *= 2;
    slots = new Float64Array(size);
    stamps = new Uint32Array(size);
    stamp = 0;
  }
  if (++stamp === 0xffffffff) {
    stamps.fill(0);
    stamp = 1;
  }
}

/** Adds the bigram (prev, cp) to the current comparison's set; true when it was not there. */
function addDistinct(prev: number, cp: number): boolean {
  const gram = gramKey(prev, cp);
  const mask = slots.length - 1;
  for (let i = (Math.imul(prev, 0x9e3779b1) ^ cp) & mask; ; i = (i + 1) & mask) {
    if (stamps[i] !== stamp) {
      stamps[i] = stamp;
      slots[i] = gram;
      return true;
    }
    if (slots[i] === gram) return false;
  }
}

/**
 * `similarity(a, ·)` for comparing one text with many (a question with item names or FAQ questions): `a`'s grams
 * are computed once, and each compared text is read in place, allocating nothing (on a large knowledge base the
 * names compared differ from question to question, so remembering their grams would not pay).
 */
export function similarityTo(a: string): (b: string) => number {
  const ascii = isAscii(a);
  const chars = gramsOf(a, false);
  let latinWords: Grams | undefined;
  return (b) => {
    if (ascii && isAscii(b)) return dice((latinWords ??= gramsOf(a, true)), gramsOf(b, true));
    if (!chars.size) return 0;
    let distinct = 0;
    let common = 0;
    let prev = -1;
    let count = 0;
    startDistinct(b.length);
    for (let i = 0; i < b.length; i++) {
      const cp = b.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (isSpace(cp)) continue;
      if (prev >= 0 && addDistinct(prev, cp)) {
        if (chars.has(gramKey(prev, cp))) common++;
        distinct++;
      }
      prev = cp;
      count++;
    }
    // a single character stands for itself
    if (count === 1) return chars.has(SINGLE + prev) ? 2 / (chars.size + 1) : 0;
    return distinct ? (2 * common) / (chars.size + distinct) : 0;
  };
}
