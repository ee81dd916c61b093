/**
 * Whether a text speaks of what a question says: the question's content words (segmented by the retriever's
 * analyzer, aspect words and fillers gone, action words left to the action classes) are looked for in the text
 * as written or as one of their synonyms (the retriever's synonym groups). A word of the question that a chosen
 * item or FAQ never speaks of, while a close alternative does, is what tells a confident wrong answer.
 */
import type { ServiceItem } from '../kb/schema.ts';
import type { QueryNoun, Retriever } from '../retrieval/types.ts';
import { actionsIn, namesHold, questionTerms } from './discriminate.ts';

/** A word worth checking for: two or more Chinese characters, or a Latin word of three or more letters. */
export const CONTENT_WORD = /^([\u3400-\u9fff]{2,}|[a-z][a-z'-]{2,})$/;

/** The question's content words: two or more Chinese characters (or a Latin word), no action word nor part of one (第一 of 第一次). */
export function contentWords(retriever: Retriever, message: string): string[] {
  const words = questionTerms(retriever, message).filter((w) => CONTENT_WORD.test(w));
  const acting = words.filter((w) => actionsIn(w).length);
  return words.filter((w) => !acting.some((a) => a.includes(w)));
}

const variantCache = new WeakMap<object, Map<string, string[]>>();
/** A word and its synonyms, lower case (memoised per retriever). */
function variants(retriever: Retriever, word: string): string[] {
  let cache = variantCache.get(retriever);
  if (!cache) variantCache.set(retriever, (cache = new Map()));
  let out = cache.get(word);
  if (!out) {
    const expanded = retriever.analyze(word).expansions.map((e) => e.toLowerCase()).filter((e) => e.length >= 2);
    out = [...new Set([word.toLowerCase(), ...expanded])];
    if (cache.size >= 5000) cache.clear();
    cache.set(word, out);
  }
  return out;
}

/** Whether `text` (lower case) speaks of `word`, as written or as a synonym. */
export function speaksOfWord(retriever: Retriever, word: string, text: string): boolean {
  return variants(retriever, word).some((v) => text.includes(v));
}

/**
 * The question's content words that neither an FAQ's questions nor its services' names speak of
 * ("营业执照被吊销了" against "营业执照丢了怎么办": 吊销). Empty when the FAQ covers what is asked.
 */
export function uncoveredByFaq(retriever: Retriever, message: string, faqQuestions: readonly string[], items: readonly ServiceItem[]): string[] {
  const text = faqQuestions.join('\n').toLowerCase();
  return contentWords(retriever, message).filter((w) => !speaksOfWord(retriever, w, text) && !items.some((i) => namesHold(retriever, i, w)));
}

/**
 * What the question is about: the noun its subject opens with, after a leading 我/我家 ("护士执业证书…" → 护士,
 * "律师证丢了…" → 律师证); none when it opens otherwise ("要离开北京了…").
 */
export function topicNoun(subject: string, nouns: readonly QueryNoun[]): QueryNoun | undefined {
  const opening = subject.replace(/\s+/g, '').replace(/^(我们|我|俺|咱们|咱)(家的|家|的)?/, '');
  return nouns.find((n) => opening.startsWith(n.text));
}
