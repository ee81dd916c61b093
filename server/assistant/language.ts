/** Which language to answer in. */
import type { Lang } from './reply.ts';

const CJK = /[\u3400-\u9fff]/;
const ENGLISH_SOCIAL_WORD = /^(hello|hi|hey|thanks|thx|bye|goodbye|help)[.!?]*$/i;
const LATIN_WORD = /[a-z]{2,}/i;

/** The language the message is written in, or undefined when it cannot tell (digits, an option id, emoji). */
export function detectLang(message: string): Lang | undefined {
  if (CJK.test(message)) return 'zh';
  if (LATIN_WORD.test(message)) return 'en';
  return undefined;
}

/**
 * A clearly English message is answered in English; a Chinese message in the requested language (default Chinese);
 * anything else keeps the conversation's language.
 */
export function replyLang(message: string, requested: Lang | undefined, previous: Lang | undefined): Lang {
  const detected = detectLang(message);
  // one bare word may be an option id or a code; a greeting or thanks is English all the same
  if (detected === 'en' && (!/^[a-z0-9-]+$/i.test(message.trim()) || ENGLISH_SOCIAL_WORD.test(message.trim()))) return 'en';
  if (detected === 'zh') return requested ?? 'zh';
  return requested ?? previous ?? 'zh';
}

/** Folds full-width forms and case, collapses whitespace; enough for keyword rules (retrieval normalises further). */
export function normalize(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
