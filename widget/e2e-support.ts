/** What both browser suites (widget, console) set up the same way: Debian's Chromium and an always-open calendar. */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../server/config/config.ts';

/** Where the journeys leave their screenshots (not in git). */
export const SHOTS = path.join(PROJECT_ROOT, 'test-artifacts', 'e2e');

/** Headless Debian Chromium (CHROMIUM_PATH, default /usr/bin/chromium) with nothing reaching the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

/**
 * Writes the knowledge base's calendar.yaml with a timezone in which the run falls in the middle of a working day
 * whatever the wall clock says (UTC before 20:00, otherwise UTC-12), open all day every day, so the navigator
 * service is open for the whole run and "today" is well defined; `holidayToday` closes today instead.
 */
export function writeOpenCalendar(kbDir: string, holidayToday: boolean): void {
  const now = new Date();
  const zone = now.getUTCHours() < 20 ? 'UTC' : 'Etc/GMT+12';
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  fs.writeFileSync(path.join(kbDir, 'calendar.yaml'), [
    `timezone: ${zone}`,
    'workingHours:',
    '  - { weekdays: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "23:59" }',
    holidayToday ? `holidays:\n  - { name: 测试闭馆日, from: "${today}", to: "${today}" }` : 'holidays: []',
    'workdays: []',
    '',
  ].join('\n'));
}
