import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.ts';

describe('LruMap', () => {
  it('keeps the most recently used entries, up to its bound', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3); // drops b, the least recently used
    expect([m.get('a'), m.get('b'), m.get('c'), m.size]).toEqual([1, undefined, 3, 2]);
    m.set('a', 10); // replacing counts as a use
    m.set('d', 4);
    expect([m.get('a'), m.get('c'), m.get('d')]).toEqual([10, undefined, 4]);
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});
