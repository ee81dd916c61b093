/** The navigators' weekly hours, from the knowledge base's calendar, as the citizen reads them ("周一至周五 09:00–17:00"). */
import type { Calendar } from '../kb/schema.ts';
import type { Lang } from './reply.ts';

const DAY_NAMES: Record<Lang, readonly string[]> = {
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

/** Weekdays (1 = Monday) as runs: three or more in a row read as a range ("周一至周五"). */
function daysText(weekdays: readonly number[], lang: Lang): string {
  const names = DAY_NAMES[lang];
  const days = [...new Set(weekdays)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    if (j - i >= 2) parts.push(lang === 'en' ? `${names[days[i]! - 1]} to ${names[days[j]! - 1]}` : `${names[days[i]! - 1]}至${names[days[j]! - 1]}`);
    else for (let k = i; k <= j; k++) parts.push(names[days[k]! - 1]!);
    i = j + 1;
  }
  return parts.join(lang === 'en' ? ', ' : '、');
}

export function workingHoursText(calendar: Calendar, lang: Lang): string {
  return calendar.workingHours
    .map((h) => `${daysText(h.weekdays, lang)} ${h.open}–${h.close}`)
    .join(lang === 'en' ? '; ' : '；');
}
