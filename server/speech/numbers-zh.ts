/** Chinese readings of numbers: as a quantity (一千五百), digit by digit (二零二六), and the small helpers between. */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const SMALL_UNITS = ['', '十', '百', '千'] as const;
const BIG_UNITS = ['', '万', '亿', '万亿'] as const;

/** Each digit on its own: 2026 → 二零二六; in phone numbers 1 is read 幺 (yāo) so it cannot be heard as 七. */
export function readDigits(digits: string, opts: { phone?: boolean } = {}): string {
  let out = '';
  for (const ch of digits) {
    if (ch >= '0' && ch <= '9') out += opts.phone && ch === '1' ? '幺' : DIGITS[Number(ch)];
    else if (ch === 'X' || ch === 'x') out += '叉';
  }
  return out;
}

/** A four-digit group (0..9999) as a quantity; `zeroLead` marks a group that follows a higher one. */
function readGroup(n: number, zeroLead: boolean): string {
  let out = '';
  let pendingZero = zeroLead && n < 1000;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out) pendingZero = true;
      continue;
    }
    if (pendingZero && (out || zeroLead)) out += '零';
    pendingZero = false;
    out += DIGITS[d] + SMALL_UNITS[pos]!;
  }
  return out;
}

/** A non-negative integer as a quantity: 15 → 十五, 110 → 一百一十, 1500 → 一千五百, 20008 → 两万零八. */
export function readInteger(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a readable integer: ${n}`);
  if (n === 0) return '零';
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  if (groups.length > BIG_UNITS.length) return readDigits(String(n));
  let out = '';
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    const higherDone = out !== '';
    // a gap (a zero group, or a group under 1000) after higher groups is read 零: 1,0005 → 一万零五
    const zeroLead = higherDone && (g < 1000 || groups[i + 1] === 0);
    out += readGroup(g, zeroLead) + BIG_UNITS[i]!;
  }
  // 十 at the very start is read without 一: 15 → 十五 (but 115 → 一百一十五)
  if (out.startsWith('一十')) out = out.slice(1);
  // 2000 → 两千, 20000 → 两万: 二 before a big unit at the start reads 两
  return out.replace(/^二(?=[千万亿])/, '两');
}

/** A decimal written with digits ("12.50") as read aloud: 十二点五零. */
export function readDecimal(text: string): string {
  const [int = '0', frac] = text.split('.');
  const whole = readInteger(Number(int));
  return frac ? `${whole}点${readDigits(frac)}` : whole;
}

/** 2 before a measure word is 两: 2个 → 两个, 2份 → 两份 (but 12个 → 十二个). */
export function readCount(n: number): string {
  return n === 2 ? '两' : readInteger(n);
}
