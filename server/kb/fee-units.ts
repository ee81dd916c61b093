/**
 * Fee units as English replies say them: the knowledge base writes them in Chinese ("元/本", "元/件"), which a
 * reader of the English interface cannot be expected to read.
 */
const PER: Readonly<Record<string, string>> = {
  证: 'certificate', 本: 'booklet', 件: 'application', 副: 'pair', 张: 'plate or sheet', 次: 'time', 人: 'person', 份: 'copy', 套: 'set', 户: 'household',
};

/** "元/本" → "yuan per booklet", "元" → "yuan"; a unit this does not know is returned as written. */
export function feeUnitEn(unit: string): string {
  const m = /^\s*元\s*(?:\/\s*(\S+?))?\s*$/.exec(unit);
  if (!m) return unit;
  if (!m[1]) return 'yuan';
  const per = PER[m[1]];
  return per ? `yuan per ${per}` : unit;
}
