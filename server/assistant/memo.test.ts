import { describe, expect, it } from 'vitest';
import { boundedMemo } from './memo.ts';

describe('boundedMemo', () => {
  it('computes a key once while it is remembered, and never holds more than max entries', () => {
    const computed: string[] = [];
    const memo = boundedMemo(3, (k: string) => {
      computed.push(k);
      return k.length ? k.toUpperCase() : undefined;
    });
    expect([memo('a'), memo('b'), memo('a'), memo('')]).toEqual(['A', 'B', 'A', undefined]);
    expect(memo('')).toBeUndefined();
    expect(computed).toEqual(['a', 'b', '']); // an undefined result is remembered too
    memo('c'); // full: forgets everything, then keeps c
    memo('a');
    expect(computed).toEqual(['a', 'b', '', 'c', 'a']);
  });
});
