/**
 * Navigator service opening hours from the knowledge base's calendar: weekly hours, statutory holidays
 * (closed even on a weekday) and adjusted working days (调休: open even on a weekend), in the calendar's
 * time zone (Asia/Shanghai).
 */
import type { Calendar } from '../kb/schema.ts';

/** Used when no knowledge base is loaded: weekdays 09:00–17:00 Beijing time. */
export const DEFAULT_CALENDAR: Calendar = {
  timezone: 'Asia/Shanghai',
  workingHours: [{ weekdays: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }],
  holidays: [],
  workdays: [],
};

interface LocalParts {
  date: string; // YYYY-MM-DD
  weekday: number; // 1 = Monday ... 7 = Sunday
  minutes: number; // minutes since local midnight
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      weekday: 'short', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function localParts(at: number, timeZone: string): LocalParts & { seconds: number } {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(at))) p[part.type] = part.value;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: WEEKDAYS[p.weekday ?? 'Mon'] ?? 1,
    minutes: Number(p.hour) * 60 + Number(p.minute),
    seconds: Number(p.second),
  };
}

/** The instant at which the local wall-clock time `date minutes` occurs in the zone. */
function instantOf(date: string, minutes: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
  // The zone's offset at that moment: local reading of asUtc minus asUtc itself.
  const local = localParts(asUtc, timeZone);
  const [ly, lm, ld] = local.date.split('-').map(Number) as [number, number, number];
  const offset = Date.UTC(ly, lm - 1, ld, Math.floor(local.minutes / 60), local.minutes % 60) - asUtc;
  return asUtc - offset;
}

function hhmm(s: string): number {
  const [h, m] = s.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** Opening intervals (minutes since local midnight) of one local date. */
function intervalsOn(calendar: Calendar, date: string): Array<{ open: number; close: number }> {
  if (calendar.holidays.some((h) => h.from <= date && date <= h.to)) return [];
  let entries = calendar.workingHours.filter((h) => h.weekdays.includes(weekdayOf(date)));
  if (calendar.workdays.some((w) => w.date === date)) {
    // An adjusted working day keeps a regular weekday's hours (Monday's, or the first entry's).
    const monday = calendar.workingHours.filter((h) => h.weekdays.includes(1));
    entries = monday.length ? monday : calendar.workingHours.slice(0, 1);
  }
  return entries.map((h) => ({ open: hhmm(h.open), close: hhmm(h.close) })).sort((a, b) => a.open - b.open);
}

export interface Opening {
  open: boolean;
  /** While closed: the next opening instant (epoch ms), within the next 60 days. */
  opensAt?: number;
  /** While open: when the current interval closes. */
  closesAt?: number;
  /** The holiday closing today, if any. */
  holiday?: string;
}

export function openingAt(calendar: Calendar, at: number): Opening {
  const tz = calendar.timezone;
  const now = localParts(at, tz);
  const holiday = calendar.holidays.find((h) => h.from <= now.date && now.date <= h.to)?.name;
  for (const iv of intervalsOn(calendar, now.date)) {
    if (iv.open <= now.minutes && now.minutes < iv.close) {
      return { open: true, closesAt: instantOf(now.date, iv.close, tz) };
    }
  }
  for (let day = 0; day <= 60; day++) {
    const date = addDays(now.date, day);
    for (const iv of intervalsOn(calendar, date)) {
      if (day === 0 && iv.open <= now.minutes) continue;
      return { open: false, opensAt: instantOf(date, iv.open, tz), ...(holiday ? { holiday } : {}) };
    }
  }
  return { open: false, ...(holiday ? { holiday } : {}) };
}
