import { describe, expect, it } from 'vitest';
import { randomBase64url } from './random-pool.ts';

describe('randomBase64url', () => {
  it('hands out fresh bytes across many pools: no two ids alike, each of the length asked', () => {
    const ids = Array.from({ length: 5000 }, () => randomBase64url(18)); // 90,000 bytes: 22 pools
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(randomBase64url(9)).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(randomBase64url(5000)).toHaveLength(6667);
  });

  it('spreads its bytes evenly (every byte value turns up about equally often)', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2000; i++) for (const b of Buffer.from(randomBase64url(32), 'base64url')) counts[b]!++;
    // 64,000 bytes: 250 expected per value; a fair source stays well within ±40%
    for (const c of counts) expect(c).toBeGreaterThan(150);
    for (const c of counts) expect(c).toBeLessThan(350);
  });
});
