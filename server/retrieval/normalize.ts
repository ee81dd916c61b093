/**
 * Text normalisation shared by documents and queries: full-width→half-width, traditional→simplified,
 * lower case, punctuation→space, common typos, collapsed whitespace.
 */
import * as OpenCC from 'opencc-js';

/** Misspellings citizens commonly type, mapped to the correct form (applied after lower-casing). */
export const TYPO_TABLE: ReadonlyArray<readonly [string, string]> = [
  ['身分证', '身份证'],
  ['身仹证', '身份证'],
  ['身份正', '身份证'],
  ['怎么半', '怎么办'],
  ['咋半', '咋办'],
  ['怎莫', '怎么'],
  ['户口薄', '户口本'],
  ['户口部', '户口本'],
  ['帐户', '账户'],
  ['帐号', '账号'],
  ['营业执找', '营业执照'],
  ['营业执炤', '营业执照'],
  ['公积经', '公积金'],
  ['公基金', '公积金'],
  ['社宝', '社保'],
  ['居住正', '居住证'],
  ['居主证', '居住证'],
  ['居往证', '居住证'],
  ['暂往证', '暂住证'],
  ['结婚正', '结婚证'],
  ['准生正', '准生证'],
  ['护造', '护照'],
  ['驾架证', '驾驶证'],
  ['驾使证', '驾驶证'],
  ['出生医学正明', '出生医学证明'],
  ['证明材科', '证明材料'],
  ['材科', '材料'],
  ['低宝', '低保'],
  ['医宝', '医保'],
  ['退修', '退休'],
];

let t2s: ((s: string) => string) | undefined;

/** OpenCC traditional (Taiwan/Hong Kong/standard) → mainland simplified; built on first use (~0.1 s). */
function toSimplified(text: string): string {
  const convert = (t2s ??= OpenCC.Converter({ from: 't', to: 'cn' }));
  return convert(text);
}

// Any character outside Basic Latin / CJK ideographs that could be traditional: checked cheaply first.
const HAS_CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/g;

function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH, (ch) => (ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)));
}

export interface NormalizeOptions {
  /**
   * Convert traditional characters to simplified (default true). The knowledge base is authored in
   * simplified Chinese, so indexing skips this conversion, which would otherwise dominate build time.
   */
  traditional?: boolean;
}

const PUNCTUATION = /[\p{P}\p{S}\p{C}]+/gu;

export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  let s = toHalfWidth(text);
  if (options.traditional !== false && HAS_CJK.test(s)) s = toSimplified(s);
  s = s.toLowerCase().replace(PUNCTUATION, ' ');
  for (const [wrong, right] of TYPO_TABLE) if (s.includes(wrong)) s = s.replaceAll(wrong, right);
  return s.replace(/\s+/g, ' ').trim();
}
