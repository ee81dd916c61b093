/**
 * Words for checklists in Chinese and English: material forms, copies, reasons, time limits and fees.
 * English uses the knowledge base's English fields where present and keeps the Chinese beside.
 */
import type { Fees, MaterialForm, Online, TimeLimit } from '../kb/schema.ts';
import { feeUnitEn } from '../kb/fee-units.ts';
import type { Lang, LocalText } from './types.ts';

/** Chinese original with its English rendering (when the KB has one) for the requested language. */
export function local(zh: string, en: string | undefined, lang: Lang): LocalText {
  if (lang === 'zh' || !en || en === zh) return { text: zh };
  return { text: en, zh };
}

const FORMS_EN: Record<MaterialForm, string> = {
  原件: 'Original',
  复印件: 'Photocopy',
  原件及复印件: 'Original and photocopy',
  电子材料: 'Electronic document',
  原件或电子证照: 'Original or electronic licence',
};

export function formLabel(form: MaterialForm, lang: Lang): string {
  return lang === 'zh' ? form : FORMS_EN[form];
}

export function copiesLabel(copies: number, lang: Lang): string {
  return lang === 'zh' ? `${copies}份` : `${copies} ${copies === 1 ? 'copy' : 'copies'}`;
}

const ONLINE_EN: Record<Online['level'], string> = {
  全程网办: 'Fully online',
  网上预审: 'Online pre-review, then in person',
  网上预约: 'Book online, then in person',
  仅限窗口: 'In person only',
};

export function onlineLevelLabel(level: Online['level'], lang: Lang): string {
  return lang === 'zh' ? level : ONLINE_EN[level];
}

/** "因为您选择了'委托他人代办'" / "Because you chose 'By proxy'"; no labels: required for everyone. */
export function reasonText(optionLabels: readonly string[], lang: Lang): string {
  if (optionLabels.length === 0) return lang === 'zh' ? '所有申请人均需提交' : 'Required for every applicant';
  const quoted = optionLabels.map((l) => `'${l}'`);
  if (lang === 'zh') return `因为您选择了${quoted.join('、')}`;
  const list = quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]!}`;
  return `Because you chose ${list}`;
}

function daysZh(n: number, unit: TimeLimit['unit']): string {
  return n === 0 ? '即办' : `${n}个${unit}`;
}

function daysEn(n: number, unit: TimeLimit['unit']): string {
  if (n === 0) return 'on the spot';
  const u = unit === '工作日' ? 'working day' : 'calendar day';
  return `${n} ${u}${n === 1 ? '' : 's'}`;
}

export function timeLimitText(t: TimeLimit, lang: Lang): LocalText {
  const zhParts = [
    ...(t.statutoryDays === null ? [] : [`法定办结时限${daysZh(t.statutoryDays, t.unit)}`]),
    `承诺办结时限${daysZh(t.promisedDays, t.unit)}`,
  ];
  const zh = `${zhParts.join('，')}。${t.note ?? ''}`;
  if (lang === 'zh') return { text: zh };
  const enParts = [
    ...(t.statutoryDays === null ? [] : [`statutory time limit ${daysEn(t.statutoryDays, t.unit)}`]),
    `promised time limit ${daysEn(t.promisedDays, t.unit)}`,
  ];
  const en = enParts.join('; ');
  return { text: `${en.charAt(0).toUpperCase()}${en.slice(1)}.${t.noteEn ? ` ${t.noteEn}` : ''}`, zh };
}

export function feesText(f: Fees, lang: Lang): LocalText {
  const itemsZh = f.items.map((i) => `${i.name}${i.amount}${i.unit}${i.note ? `（${i.note}）` : ''}`);
  const zh = [f.free ? '不收费' : '收费', ...itemsZh].join('；') + (f.note ? `。${f.note}` : '。');
  if (lang === 'zh') return { text: zh };
  const itemsEn = f.items.map((i) => `${i.nameEn ?? i.name}: ${i.amount} ${feeUnitEn(i.unit)}`);
  const en = [f.free ? 'Free of charge' : 'Fees apply', ...itemsEn].join('; ') + '.' + (f.noteEn ? ` ${f.noteEn}` : '');
  return { text: en, zh };
}

export function appointmentText(required: boolean, channels: readonly string[], lang: Lang): string {
  if (lang === 'zh') return `${required ? '须提前预约' : '无需预约'}${channels.length ? `，预约渠道：${channels.join('、')}` : ''}`;
  return `${required ? 'Appointment required' : 'No appointment needed'}${channels.length ? `; book via ${channels.join(', ')}` : ''}`;
}

export function citationText(title: string, titleEn: string | undefined, updatedAt: string, sourceUrl: string, lang: Lang): string {
  if (lang === 'zh') return `依据：《${title}》办事指南，更新于 ${updatedAt}（${sourceUrl}）`;
  return `Source: service guide "${titleEn ?? title}"${titleEn ? ` (${title})` : ''}, last updated ${updatedAt} (${sourceUrl})`;
}
