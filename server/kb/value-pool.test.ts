import { describe, expect, it } from 'vitest';
import { ValuePool } from './value-pool.ts';

describe('ValuePool', () => {
  it('gives structurally equal nested objects and arrays one instance, and keeps top-level values apart', () => {
    const pool = new ValuePool();
    const a = pool.shareChildren({ id: 'a', locations: [{ name: '中心', hours: '工作日 9:00-17:00' }], tags: [] as string[] });
    const b = pool.shareChildren({ id: 'b', locations: [{ name: '中心', hours: '工作日 9:00-17:00' }], tags: [] as string[] });
    expect(a).not.toBe(b);
    expect(a.locations).toBe(b.locations);
    expect(a.locations[0]).toBe(b.locations[0]);
    expect(a.tags).toBe(b.tags);
    expect(b).toEqual({ id: 'b', locations: [{ name: '中心', hours: '工作日 9:00-17:00' }], tags: [] });
  });

  it('tells apart values that differ in a key, a value, a type, a missing key or the order of an array', () => {
    const pool = new ValuePool();
    const values = [
      { x: 1 }, { y: 1 }, { x: 2 }, { x: '1' }, { x: true }, { x: null }, { x: undefined }, {},
      { x: [1, 2] }, { x: [2, 1] }, { x: [[1], 2] }, { x: { y: 1 } },
    ].map((v) => pool.share(v));
    expect(new Set(values).size).toBe(values.length);
    expect(values.map((v) => JSON.stringify(v))).toEqual([
      '{"x":1}', '{"y":1}', '{"x":2}', '{"x":"1"}', '{"x":true}', '{"x":null}', '{}', '{}',
      '{"x":[1,2]}', '{"x":[2,1]}', '{"x":[[1],2]}', '{"x":{"y":1}}',
    ]);
    expect('x' in values[6]!).toBe(true);
  });

  it('does not merge objects holding something other than plain data', () => {
    const pool = new ValuePool();
    const date = new Date(0);
    const a = pool.share({ when: date });
    const b = pool.share({ when: date });
    expect(a).not.toBe(b);
    expect(a.when).toBe(date);
  });
});
