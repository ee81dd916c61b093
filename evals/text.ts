/**
 * Text helpers the judge and the dataset check share: one normalisation for facts and answers, the searchable
 * text of a knowledge-base source, and the figures (numbers) a text states.
 */

/** NFKC (full-width → half-width), lower case, no whitespace: "１５ 日" and "15日" compare equal. */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Every string and number in a KB object, one per line: what "the item says". */
export function sourceText(source: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(source);
  return out.join('\n');
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 十五 → 15, 一百二十 → 120, 三万 → 30000; undefined when not a numeral. */
export function chineseNumeral(s: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in CN_DIGITS) digit = CN_DIGITS[ch]!;
    else if (ch in CN_UNITS) {
      section += (digit || 1) * CN_UNITS[ch]!;
      digit = 0;
    } else if (ch === '万') {
      total += (section + digit) * 10000;
      section = 0;
      digit = 0;
    } else return undefined;
  }
  return total + section + digit;
}

const CN_FIGURE = /[零〇一二两三四五六七八九十百千万]+(?=(?:个)?(?:工作日|自然日|天|日|元|年|个月|月|周岁|岁|小时|周|倍|%|万))/g;

/**
 * The figures a text states, as canonical numbers ("015" → "15", "20.00" → "20"): Arabic numbers, and Chinese
 * numerals before a unit (十五日). Links, markdown list numbers and lone 一/两 ("一份") are not claims.
 */
export function figures(text: string): string[] {
  const clean = text
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/^\s*\d+[.、)]\s*/gm, '');
  const out = new Set<string>();
  for (const m of clean.matchAll(/\d+(?:\.\d+)?/g)) out.add(String(Number(m[0])));
  for (const m of clean.matchAll(CN_FIGURE)) {
    if (m[0] === '一' || m[0] === '两') continue;
    const n = chineseNumeral(m[0]);
    if (n !== undefined) out.add(String(n));
  }
  return [...out];
}
