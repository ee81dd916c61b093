/**
 * The grounding check both composers pass through: every figure (days, fees, counts, phone numbers, dates) in an
 * answer must occur in the sources it cites. Figures are compared as numbers, so "15日" matches "15个工作日" and
 * "十五天" matches "15"; URLs are ignored (links are checked as citations, not as figures).
 */

const DIGITS = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 } as const;
/** A Chinese numeral counting something: followed by a unit or a measure word ("六个指标", "三类", "两名"). */
const CN_NUMBER = /(?<![\d.])[零〇一二两三四五六七八九十百千万]+(?=\s*(?:工作日|自然日|天|日|元|份|年|个月|月|周岁|岁|小时|分钟|周|次|人|本|页|张|项|倍|级|%|个|类|种|条|名|位|套|台|辆|间|所|批|轮|道|门|期|届|季度))/g;

/** Parses a Chinese numeral such as 十五, 二十, 一百二十, 三千. */
export function parseChineseNumber(s: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in DIGITS) digit = DIGITS[ch as keyof typeof DIGITS];
    else if (ch === '十' || ch === '百' || ch === '千') {
      const unit = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
      section += (digit || 1) * unit;
      digit = 0;
    } else if (ch === '万') {
      total += (section + digit) * 10000;
      section = 0;
      digit = 0;
    } else return undefined;
  }
  return total + section + digit;
}

/** Links and ordered-list numbers ("1. ") are not claims. */
function stripLinks(text: string): string {
  return text.replace(/\]\([^)]*\)/g, ']').replace(/https?:\/\/[^\s"'<>()\u3000-\u9fff\uff00-\uffef]+/g, ' ').replace(/^\s*\d+\.\s/gm, '');
}

/** Digits, with thousands separators ("1,500") as one number. */
const DIGIT_NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;
/** A multiplier written after digits: "10万" is 100000, "5 million" 5000000. */
const MULTIPLIER = /^(?:万|亿|\s*million\b|\s*billion\b)/i;
const MULTIPLIERS: Readonly<Record<string, number>> = { 万: 1e4, 亿: 1e8, million: 1e6, billion: 1e9 };

/** Every figure in a text, as canonical number strings ("010" → "10", "20.00" → "20", "1,500" → "1500"). */
export function extractFigures(text: string): string[] {
  const clean = stripLinks(text);
  const out: string[] = [];
  for (const m of clean.matchAll(DIGIT_NUMBER)) {
    const n = Number(m[0].replaceAll(',', ''));
    const multiplier = MULTIPLIER.exec(clean.slice(m.index! + m[0].length, m.index! + m[0].length + 9))?.[0].trim().toLowerCase();
    out.push(String(multiplier ? Math.round(n * MULTIPLIERS[multiplier]!) : n));
  }
  for (const m of clean.matchAll(CN_NUMBER)) {
    const n = parseChineseNumber(m[0]);
    // a lone 一 ("一份", "一次") is too common to be a claim worth checking
    if (n !== undefined && !(m[0] === '一' || m[0] === '两')) out.push(String(n));
  }
  return out;
}

export interface GroundingResult {
  ok: boolean;
  /** Figures in the answer that no source contains. */
  unsupported: string[];
}

/**
 * The figures of a knowledge-base object (item, FAQ, policy: its JSON), kept with the object for as long as it
 * lives: a few numbers each, where its text would be kilobytes, so a large knowledge base keeps them all and no
 * answer serialises its sources again. Worked out for every object in the background after a load
 * (`learnFigures`): on a large knowledge base most questions cite a service no earlier question did.
 */
const objectFigures = new WeakMap<object, Float64Array>();

function figuresOf(source: object): Float64Array {
  let figures = objectFigures.get(source);
  if (!figures) {
    figures = Float64Array.from(new Set(extractFigures(JSON.stringify(source)).map(Number)));
    objectFigures.set(source, figures);
  }
  return figures;
}

/** Works out the figures of a knowledge-base object now, ahead of the answers citing it. */
export function learnFigures(source: object): void {
  figuresOf(source);
}

/**
 * Checks the answer's figures against the knowledge-base objects it comes from, and any figures the caller allows
 * (e.g. the question's).
 */
export function checkFiguresIn(answer: string, sources: readonly object[], allowed: readonly string[] = []): GroundingResult {
  const extra = new Set(allowed.flatMap(extractFigures).map(Number));
  const supported = (f: number) => extra.has(f) || sources.some((s) => figuresOf(s).includes(f));
  const unsupported = [...new Set(extractFigures(answer).filter((f) => !supported(Number(f))))];
  return { ok: unsupported.length === 0, unsupported };
}
