/** The navigators' calendar: a real timezone, sane opening hours, holidays and adjusted workdays that agree. */
import type { Entry } from '../content.ts';
import type { Reporter } from '../reporter.ts';
import type { Calendar } from '../schema.ts';

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** 1 = Monday ... 7 = Sunday. */
export function isoWeekday(isoDate: string): number {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export function checkCalendar({ value: cal, at }: Entry<Calendar>, report: Reporter): void {
  if (!isValidTimeZone(cal.timezone)) report.error(at, ['timezone'], `"${cal.timezone}" is not an IANA timezone such as Asia/Shanghai`);

  const slots: Array<{ day: number; open: string; close: string; index: number }> = [];
  cal.workingHours.forEach((h, i) => {
    if (h.open >= h.close) report.error(at, ['workingHours', i, 'close'], `closing time ${h.close} must be after opening time ${h.open}`);
    const seen = new Set<number>();
    h.weekdays.forEach((d, j) => {
      if (seen.has(d)) report.warning(at, ['workingHours', i, 'weekdays', j], `weekday ${d} is listed twice`);
      seen.add(d);
    });
    for (const day of seen) {
      const clash = slots.find((s) => s.day === day && s.open < h.close && h.open < s.close);
      if (clash) {
        report.error(at, ['workingHours', i], `${h.open}–${h.close} overlaps ${clash.open}–${clash.close} (workingHours.${clash.index}) on weekday ${day}`);
      }
      slots.push({ day, open: h.open, close: h.close, index: i });
    }
  });

  cal.holidays.forEach((h, i) => {
    if (h.from > h.to) report.error(at, ['holidays', i, 'to'], `holiday "${h.name}" ends (${h.to}) before it starts (${h.from})`);
    cal.holidays.slice(0, i).forEach((o, j) => {
      if (o.from <= h.to && h.from <= o.to) report.warning(at, ['holidays', i], `holiday "${h.name}" overlaps "${o.name}" (holidays.${j})`);
    });
  });

  const workdays = new Map<string, number>();
  cal.workdays.forEach((w, i) => {
    const dup = workdays.get(w.date);
    if (dup !== undefined) report.warning(at, ['workdays', i, 'date'], `${w.date} is already listed (workdays.${dup})`);
    else workdays.set(w.date, i);
    const holiday = cal.holidays.findIndex((h) => h.from <= w.date && w.date <= h.to);
    if (holiday >= 0) {
      report.error(at, ['workdays', i, 'date'], `${w.date} is a working day but falls in holiday "${cal.holidays[holiday]!.name}" (holidays.${holiday})`);
    }
    if (isoWeekday(w.date) <= 5) report.warning(at, ['workdays', i, 'date'], `${w.date} is a weekday already; adjusted working days (调休) fall on weekends`);
  });
}
