import { describe, expect, it } from 'vitest';
import type { Calendar } from '../kb/schema.ts';
import { openingAt } from './calendar.ts';

const calendar: Calendar = {
  timezone: 'Asia/Shanghai',
  workingHours: [
    { weekdays: [1, 2, 3, 4, 5], open: '09:00', close: '12:00' },
    { weekdays: [1, 2, 3, 4, 5], open: '13:00', close: '17:00' },
  ],
  holidays: [{ name: '国庆节', from: '2025-10-01', to: '2025-10-08' }],
  workdays: [{ date: '2025-09-28', name: '国庆节调休' }],
};

/** Beijing wall-clock time as an instant. */
const bj = (s: string) => new Date(`${s}+08:00`).getTime();

describe('openingAt', () => {
  it('is open inside working hours and reports when it closes', () => {
    expect(openingAt(calendar, bj('2025-09-30T10:00:00'))).toEqual({ open: true, closesAt: bj('2025-09-30T12:00:00') });
  });

  it('opens after the lunch break the same day', () => {
    expect(openingAt(calendar, bj('2025-09-30T12:30:00'))).toEqual({ open: false, opensAt: bj('2025-09-30T13:00:00') });
  });

  it('stays closed through a statutory holiday and names it', () => {
    expect(openingAt(calendar, bj('2025-10-02T10:00:00'))).toEqual({ open: false, opensAt: bj('2025-10-09T09:00:00'), holiday: '国庆节' });
  });

  it('opens on an adjusted working day that falls on a Sunday', () => {
    expect(openingAt(calendar, bj('2025-09-28T09:30:00')).open).toBe(true);
    expect(openingAt(calendar, bj('2025-09-27T20:00:00'))).toEqual({ open: false, opensAt: bj('2025-09-28T09:00:00') });
  });

  it('after Friday closing the next opening is Monday morning', () => {
    expect(openingAt(calendar, bj('2025-09-12T17:00:00'))).toEqual({ open: false, opensAt: bj('2025-09-15T09:00:00') });
  });
});
