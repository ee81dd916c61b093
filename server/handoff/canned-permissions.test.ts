import { describe, expect, it } from 'vitest';
import { mayChangeCanned, mayCreateCanned, maySeeCanned, type CannedEditor } from './canned-permissions.ts';

const supervisor: CannedEditor = { role: 'supervisor', skills: [] };
const ma: CannedEditor = { role: 'navigator', skills: ['public-security'] };
const newcomer: CannedEditor = { role: 'navigator', skills: [] };

describe('canned reply permissions', () => {
  it('shows shared replies to everyone, a skill’s replies to its navigators and every reply to supervisors', () => {
    for (const skill of [null, undefined, '']) expect([supervisor, ma, newcomer].every((n) => maySeeCanned(n, skill))).toBe(true);
    expect(maySeeCanned(ma, 'public-security')).toBe(true);
    expect(maySeeCanned(ma, 'housing')).toBe(false);
    expect(maySeeCanned(supervisor, 'housing')).toBe(true);
  });

  it('lets supervisors change any reply, navigators only those of their own skills, nobody but supervisors the shared set', () => {
    expect(mayChangeCanned(supervisor, null)).toBe(true);
    expect(mayChangeCanned(supervisor, 'housing')).toBe(true);
    expect(mayChangeCanned(ma, 'public-security')).toBe(true);
    expect(mayChangeCanned(ma, 'housing')).toBe(false);
    for (const skill of [null, undefined, '']) expect(mayChangeCanned(ma, skill)).toBe(false);
    expect(mayCreateCanned(supervisor)).toBe(true);
    expect(mayCreateCanned(ma)).toBe(true);
    expect(mayCreateCanned(newcomer)).toBe(false);
  });
});
