/**
 * Free text → an option of a question, from the option's id, labels and hints: "我是替我爸办的" → proxy,
 * "第一次办" → first. The longest phrase found wins; a phrase right after a negation ("不是本人") counts
 * against its option, and on a two-option question a negated option means the other one.
 * Ambiguous or unrelated text gives undefined: the caller asks again rather than guess.
 */
import type { Question } from '../kb/schema.ts';

const NEGATIONS = ['不是', '并非', '没有', '不', '非', '没', '未', '无', 'not ', 'no ', "don't ", 'non-', 'non '];
const PUNCTUATION = /[\s,.!?;:'"()[\]{}，。！？；：、“”‘’（）【】《》…~～]+/gu;

function normalise(s: string): string {
  return s.toLowerCase().replace(PUNCTUATION, ' ').trim();
}

interface Phrase {
  optionId: string;
  text: string;
}

/** English words that tell no option from another. */
const EN_FILLERS = new Set(['a', 'an', 'the', 'or', 'and', 'of', 'in', 'on', 'at', 'to', 'for', 'with', 'by', 'from', 'my', 'your', 'our', 'is', 'are', 'i', 'we', 'you', 'it', 'am', 'be', 'not', 'no', 'yes', 'other', 'resident', 'residents', 'person', 'people']);

/**
 * The words and word pairs of each option's English label that no other option's label has ("hong kong" of "A Hong
 * Kong or Macao resident"): free English text names an option by them ("my fiancee is from Hong Kong").
 */
function distinctiveEnglish(q: Question): Phrase[] {
  const grams = q.options.map((o) => {
    const words = normalise(o.labelEn ?? '').split(' ').filter((w) => w && !EN_FILLERS.has(w));
    const out = new Set(words.filter((w) => w.length >= 4));
    for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
    return out;
  });
  return q.options.flatMap((o, i) => [...grams[i]!].filter((g) => grams.every((other, j) => j === i || !other.has(g))).map((text) => ({ optionId: o.id, text })));
}

/** A question's phrases, longest first, worked out once per question (the knowledge base's items share them). */
const phraseLists = new WeakMap<Question, readonly Phrase[]>();

function phrasesOf(q: Question): readonly Phrase[] {
  let phrases = phraseLists.get(q);
  if (!phrases) {
    const out: Phrase[] = [];
    for (const o of q.options) {
      for (const raw of [o.id, o.label, o.labelEn, ...o.hints]) {
        const text = raw ? normalise(raw) : '';
        if (text) out.push({ optionId: o.id, text });
      }
    }
    out.push(...distinctiveEnglish(q).filter((d) => !out.some((p) => p.text === d.text)));
    // Longest phrases first, so "非北京市户籍" claims its text before "北京市户籍" can.
    phrases = Object.freeze(out.sort((a, b) => b.text.length - a.text.length));
    phraseLists.set(q, phrases);
  }
  return phrases;
}

/** Is the occurrence at `at` preceded by a negation (allowing "不是我本人" style one-character gaps)? */
function negatedAt(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 4), at);
  const bridged = /[是我他她的]$/u.test(before) ? before.slice(0, -1) : undefined;
  return NEGATIONS.some((n) => before.endsWith(n) || (bridged !== undefined && bridged.endsWith(n)));
}

function isAsciiWord(s: string): boolean {
  return /^[a-z0-9 -]+$/.test(s);
}

function occurrences(text: string, phrase: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    if (isAsciiWord(phrase)) {
      // English phrases match whole words only ("self" must not match "herself").
      const pre = text[at - 1];
      const post = text[at + phrase.length];
      if ((pre && /[a-z0-9]/.test(pre)) || (post && /[a-z0-9]/.test(post))) continue;
    }
    out.push(at);
  }
  return out;
}

export function interpretOption(q: Question, input: string): string | undefined {
  const text = normalise(input);
  if (!text) return undefined;
  // "1", "2": the option's position as shown.
  if (/^\d+$/.test(text)) return q.options[Number(text) - 1]?.id;
  const positive = new Map<string, number>();
  const negative = new Set<string>();
  const covered: Array<[number, number]> = [];
  for (const p of phrasesOf(q)) {
    for (const at of occurrences(text, p.text)) {
      const end = at + p.text.length;
      if (covered.some(([s, e]) => at >= s && end <= e)) continue;
      covered.push([at, end]);
      if (negatedAt(text, at)) negative.add(p.optionId);
      else positive.set(p.optionId, Math.max(positive.get(p.optionId) ?? 0, p.text.length));
    }
  }
  for (const id of negative) positive.delete(id);
  if (positive.size === 0) {
    const rest = q.options.filter((o) => !negative.has(o.id));
    return negative.size > 0 && rest.length === 1 ? rest[0]!.id : undefined;
  }
  const ranked = [...positive.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length > 1 && ranked[0]![1] === ranked[1]![1]) return undefined;
  return ranked[0]![0];
}
