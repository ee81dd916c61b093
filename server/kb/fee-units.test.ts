import { describe, expect, it } from 'vitest';
import { feeUnitEn } from './fee-units.ts';

describe('fee units in English', () => {
  it('says the knowledge base units in English, and leaves a unit it does not know as written', () => {
    expect(feeUnitEn('元/本')).toBe('yuan per booklet');
    expect(feeUnitEn('元/证')).toBe('yuan per certificate');
    expect(feeUnitEn('元')).toBe('yuan');
    expect(feeUnitEn('元/平方米')).toBe('元/平方米');
    expect(feeUnitEn('per hour')).toBe('per hour');
  });
});
