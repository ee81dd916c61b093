/**
 * Chinese text → what a person reads aloud: digits become words the way a counter clerk reads them.
 *   2026年3月15日 → 二零二六年三月十五日      15个工作日 → 十五个工作日       2份 → 两份
 *   ¥1,500 / 1500元 → 一千五百元             12.5元 → 十二点五元              50% → 百分之五十
 *   电话 010-12345678 → 零幺零幺二三四五六七八 (phone numbers digit by digit, 1 read 幺)
 *   身份证号 110101199003071234 → 一一零一零一… (ID numbers digit by digit)
 *   9:00-17:00 → 九点至十七点
 */
import { readCount, readDecimal, readDigits, readInteger } from './numbers-zh.ts';

/** Measure words after which 2 is read 两. */
const MEASURES = '个份张次位种项本件天周年人元把条户套名';

/** Words announcing a phone number within the few characters before it. */
const PHONE_CUE = /(电话|热线|手机|拨打|致电|联系方式|来电|座机|咨询|投诉|号码为|号码是)[^0-9，。；]{0,6}$/;
/** Words announcing an ID-like number (read digit by digit, 1 as 一). */
const ID_CUE = /(身份证|证件号|证号|编号|单号|账号|卡号|社保号|户号|合同号|流水号|参考号|邮编|邮政编码|工单)[^0-9，。；]{0,6}$/;

type Rule = { re: RegExp; read: (m: RegExpExecArray, before: string) => string };

function time(h: string, m: string): string {
  const hour = readInteger(Number(h));
  return Number(m) === 0 ? `${hour}点` : `${hour}点${Number(m) < 10 ? '零' : ''}${readInteger(Number(m))}分`;
}

function date(y: string, m: string, d?: string): string {
  return `${readDigits(y)}年${readInteger(Number(m))}月${d ? `${readInteger(Number(d))}日` : ''}`;
}

/** An amount as said at a counter: 1500.5 → 一千五百元五角, 3.05 → 三元零五分. */
function money(int: string, cents = ''): string {
  const jiao = Number(cents[0] ?? 0);
  const fen = Number(cents[1] ?? 0);
  let out = `${readCount(Number(int.replace(/,/g, '')))}元`;
  if (jiao) out += `${readInteger(jiao)}角`;
  if (fen) out += `${jiao ? '' : '零'}${readInteger(fen)}分`;
  return out;
}

const RULES: Rule[] = [
  // ISO-style dates: 2026-03-15, 2026/3/15, 2026.03.15
  { re: /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/y, read: (m) => date(m[1]!, m[2]!, m[3]) },
  // Times and time ranges: 9:00, 17:30, 9:00-17:00
  {
    re: /(\d{1,2})[:：](\d{2})(?:\s*[-–—~至到]\s*(\d{1,2})[:：](\d{2}))?/y,
    read: (m) => time(m[1]!, m[2]!) + (m[3] ? `至${time(m[3], m[4]!)}` : ''),
  },
  // Mainland ID numbers: 17 digits + a digit or X
  { re: /\d{17}[\dXx](?!\d)/y, read: (m) => readDigits(m[0]) },
  // Phone numbers: area code - number, mobiles (1 + 10 digits), hotlines after a cue word
  { re: /0\d{2,3}-\d{7,8}(?:-\d{1,6})?/y, read: (m) => readDigits(m[0], { phone: true }) },
  { re: /1[3-9]\d{9}(?!\d)/y, read: (m) => readDigits(m[0], { phone: true }) },
  { re: /\d{3,}(?:-\d+)*/y, read: (m, before) => (PHONE_CUE.test(before) ? readDigits(m[0], { phone: true }) : ID_CUE.test(before) ? readDigits(m[0]) : ''), },
  // Years: 2026年 → 二零二六年 (a year is read digit by digit)
  { re: /(\d{4})(?=年)/y, read: (m) => readDigits(m[1]!) },
  // Money: ¥1,500.50 / 1500.5元 / ￥20 → 一千五百元五角, 两元
  { re: /([¥￥]\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(\s*元)?/y, read: (m) => (m[1] || m[4] ? money(m[2]!, m[3]) : '') },
  // Percentages
  { re: /(\d+(?:\.\d+)?)\s*[%％]/y, read: (m) => `百分之${readDecimal(m[1]!)}` },
  // 2 before a measure word: 2个 → 两个
  { re: new RegExp(`(\\d+)(?=[${MEASURES}])`, 'y'), read: (m) => readCount(Number(m[1])) },
  // Long digit strings with no cue (reference numbers, postcodes): digit by digit
  { re: /\d{7,}/y, read: (m) => readDigits(m[0]) },
  // Quantities with thousands separators or decimals, and plain integers
  { re: /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+/y, read: (m) => readDecimal(m[0].replace(/,/g, '')) },
];

/** Reads every number in `text` aloud; everything else is kept as it is. */
export function normalizeZh(text: string): string {
  let out = '';
  let i = 0;
  outer: while (i < text.length) {
    const ch = text[i]!;
    if ((ch >= '0' && ch <= '9') || ch === '¥' || ch === '￥') {
      for (const rule of RULES) {
        rule.re.lastIndex = i;
        const m = rule.re.exec(text);
        if (!m) continue;
        const spoken = rule.read(m, out.slice(-12));
        if (!spoken) continue;
        out += spoken;
        i += m[0].length;
        continue outer;
      }
    }
    out += ch;
    i++;
  }
  return out;
}
