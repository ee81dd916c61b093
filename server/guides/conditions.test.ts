import { describe, expect, it } from 'vitest';
import type { Condition } from '../kb/schema.ts';
import { conditionHolds, conditionLeaves, conditionQuestions, evaluateCondition } from './conditions.ts';

describe('conditions: two-valued (complete answers)', () => {
  const a = { 'by-proxy': 'proxy', household: 'nonlocal', kind: 'first' };
  it('a single question matches one option or any of a list', () => {
    expect(conditionHolds({ 'by-proxy': 'proxy' }, a)).toBe(true);
    expect(conditionHolds({ 'by-proxy': 'self' }, a)).toBe(false);
    expect(conditionHolds({ kind: ['renewal', 'first'] }, a)).toBe(true);
    expect(conditionHolds({ kind: ['renewal', 'lost'] }, a)).toBe(false);
  });
  it('several keys must all hold', () => {
    expect(conditionHolds({ 'by-proxy': 'proxy', household: 'nonlocal' }, a)).toBe(true);
    expect(conditionHolds({ 'by-proxy': 'proxy', household: 'local' }, a)).toBe(false);
  });
  it('all, any and not combine', () => {
    expect(conditionHolds({ all: [{ 'by-proxy': 'proxy' }, { not: { household: 'local' } }] }, a)).toBe(true);
    expect(conditionHolds({ any: [{ household: 'local' }, { kind: 'lost' }] }, a)).toBe(false);
    expect(conditionHolds({ any: [{ household: 'local' }, { kind: 'first' }] }, a)).toBe(true);
    expect(conditionHolds({ not: { any: [{ household: 'local' }, { kind: 'first' }] } }, a)).toBe(false);
  });
  it('an unanswered question matches no option', () => {
    expect(conditionHolds({ other: 'x' }, a)).toBe(false);
    expect(conditionHolds({ not: { other: 'x' } }, a)).toBe(true);
  });
});

describe('conditions: three-valued (partial answers)', () => {
  it('is unknown while a needed answer is missing', () => {
    expect(evaluateCondition({ 'by-proxy': 'proxy' }, {})).toBeUndefined();
    expect(evaluateCondition({ not: { 'by-proxy': 'proxy' } }, {})).toBeUndefined();
    expect(evaluateCondition({ 'by-proxy': 'proxy', household: 'local' }, { 'by-proxy': 'proxy' })).toBeUndefined();
  });
  it('settles as soon as the known answers decide it (Kleene)', () => {
    expect(evaluateCondition({ 'by-proxy': 'proxy', household: 'local' }, { 'by-proxy': 'self' })).toBe(false);
    expect(evaluateCondition({ any: [{ 'by-proxy': 'proxy' }, { household: 'local' }] }, { household: 'local' })).toBe(true);
    expect(evaluateCondition({ all: [{ 'by-proxy': 'proxy' }, { household: 'local' }] }, { household: 'nonlocal' })).toBe(false);
    expect(evaluateCondition({ any: [{ 'by-proxy': 'proxy' }, { household: 'local' }] }, { household: 'nonlocal' })).toBeUndefined();
    expect(evaluateCondition({ not: { household: 'local' } }, { household: 'nonlocal' })).toBe(true);
  });
});

describe('conditions: analysis', () => {
  const c: Condition = { all: [{ a: 'x', b: ['p', 'q'] }, { not: { any: [{ c: 'z' }, { a: 'y' }] } }] };
  it('lists the questions a condition reads, once, in order', () => {
    expect(conditionQuestions(c)).toEqual(['a', 'b', 'c']);
  });
  it('lists every leaf with its field path', () => {
    expect(conditionLeaves(c)).toEqual([
      { path: 'all.0.a', questionId: 'a', optionIds: ['x'] },
      { path: 'all.0.b', questionId: 'b', optionIds: ['p', 'q'] },
      { path: 'all.1.not.any.0.c', questionId: 'c', optionIds: ['z'] },
      { path: 'all.1.not.any.1.a', questionId: 'a', optionIds: ['y'] },
    ]);
  });
});
