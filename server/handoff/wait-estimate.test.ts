import { describe, expect, it } from 'vitest';
import { canTransition } from './state-machine.ts';
import { estimateWait } from './wait-estimate.ts';

describe('estimateWait', () => {
  const minutes = (...m: number[]) => m.map((x) => x * 60_000);

  it('promises nothing when nobody who could take the conversation is online', () => {
    expect(estimateWait({ position: 1, totalSlots: 0, freeSlots: 0, recentHandleTimesMs: [] })).toBeUndefined();
  });

  it('is immediate while a slot is free for this position', () => {
    expect(estimateWait({ position: 2, totalSlots: 6, freeSlots: 2, recentHandleTimesMs: [] })).toEqual({ min: 0, max: 1 });
  });

  it('scales with the conversations ahead over the live capacity, from recent handling times', () => {
    const times = minutes(4, 6, 6, 8, 8, 10, 12);
    const two = estimateWait({ position: 5, totalSlots: 2, freeSlots: 0, recentHandleTimesMs: times })!;
    const four = estimateWait({ position: 5, totalSlots: 4, freeSlots: 0, recentHandleTimesMs: times })!;
    expect(two).toEqual({ min: 15, max: 25 }); // 5 ahead × 6–10 min ÷ 2 slots
    expect(four.max).toBeLessThan(two.max);
  });

  it('falls back to typical handling times until enough are measured', () => {
    expect(estimateWait({ position: 3, totalSlots: 3, freeSlots: 0, recentHandleTimesMs: minutes(1) })).toEqual({ min: 4, max: 10 });
  });
});

describe('state machine', () => {
  it('never lets the bot take a conversation from a navigator except by an explicit return', () => {
    expect(canTransition('with-navigator', 'bot')).toBe(true);
    expect(canTransition('queued', 'bot')).toBe(false);
    expect(canTransition('bot', 'with-navigator')).toBe(false);
    expect(canTransition('offered', 'queued')).toBe(true);
    expect(canTransition('resolved', 'handoff-requested')).toBe(true);
  });
});
