import { describe, expect, it } from 'vitest';
import type { CaseResult } from './drive.ts';
import { handoffStats, latencyStats, percentile, rankOf, rates, retrievalStats, summarize } from './metrics.ts';

function result(p: Partial<CaseResult>): CaseResult {
  return {
    id: 'x', kind: 'single', theme: 't', split: 'dev', reason: 'r', inScope: true, pass: true, resolved: true, wrong: false,
    clarified: false, handoffExpected: false, handoffGiven: false, problems: [], expected: '', turns: [], ...p,
  };
}

describe('metrics', () => {
  it('resolution over in-scope cases, wrong over all, clarify over in-scope', () => {
    const rs = [
      result({ id: 'a' }),
      result({ id: 'b', pass: false, resolved: false, wrong: true }),
      result({ id: 'c', clarified: true }),
      result({ id: 'd', pass: true, resolved: false, handoffGiven: true }),
      result({ id: 'e', kind: 'handoff', inScope: false, resolved: false, handoffExpected: true, handoffGiven: true }),
    ];
    const r = rates(rs);
    expect(r).toMatchObject({ cases: 5, passed: 4, inScope: 4, resolved: 2, wrong: 1, clarified: 1 });
    expect(r.resolutionRate).toBe(0.5);
    expect(r.wrongRate).toBe(0.2);
    expect(r.clarifyRate).toBe(0.25);
    expect(rates([]).resolutionRate).toBeNull();
  });

  it('handoff precision and recall', () => {
    const h = handoffStats([
      result({ handoffExpected: true, handoffGiven: true }),
      result({ handoffExpected: true, handoffGiven: false }),
      result({ handoffExpected: false, handoffGiven: true }),
      result({ handoffExpected: false, handoffGiven: true }),
    ]);
    expect(h).toEqual({ expected: 2, given: 3, truePositives: 1, precision: 1 / 3, recall: 0.5 });
  });

  it('retrieval hit@1, hit@5 and MRR@10 from ranks', () => {
    expect(rankOf(['a', 'b', 'c'], ['c', 'z'])).toBe(3);
    expect(rankOf(['a'], ['z'])).toBe(0);
    const s = retrievalStats([1, 2, 6, 0]);
    expect(s.hitAt1).toBe(0.25);
    expect(s.hitAt5).toBe(0.5);
    expect(s.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 6) / 4, 10);
  });

  it('nearest-rank percentiles', () => {
    const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 90)).toBe(9);
    expect(percentile(v, 99)).toBe(10);
    expect(percentile([], 50)).toBe(0);
    expect(latencyStats(v)).toMatchObject({ n: 10, mean: 5.5, p50: 5, max: 10 });
  });

  it('summarizes by theme, kind and safety', () => {
    const s = summarize([
      result({ theme: 'a', kind: 'single' }),
      result({ theme: 'b', kind: 'emergency', inScope: false, resolved: false, pass: false, wrong: true }),
      result({ theme: 'b', kind: 'unsafe', inScope: false, resolved: false }),
    ], [1]);
    expect(Object.keys(s.byTheme)).toEqual(['a', 'b']);
    expect(s.byKind.emergency!.wrong).toBe(1);
    expect(s.safety).toEqual({ cases: 2, handled: 1, rate: 0.5 });
    expect(s.retrieval.hitAt1).toBe(1);
  });
});
