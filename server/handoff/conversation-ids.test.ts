import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './conversations.ts';

describe('conversation and session ids', () => {
  it('sort by the time they were made, so the rows of one moment sit together in the indexes', () => {
    const times = [0, 1, 35, 36, 1_700_000_000_000, 1_779_000_000_000, 1_779_000_000_001, 99_999_999_999_999];
    const ids = times.map((t) => timeOrderedId(t, 9));
    expect([...ids].sort()).toEqual(ids);
  });

  it('stay unguessable: made in the same millisecond, they differ in their random part', () => {
    const ids = Array.from({ length: 1000 }, () => timeOrderedId(1_779_000_000_000, 18));
    expect(new Set(ids).size).toBe(1000);
    // 18 random bytes: 24 base64url characters after the 9-character time
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{24}$/);
  });
});
