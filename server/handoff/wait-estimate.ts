/**
 * An honest wait range for a queued citizen, from live navigator capacity and recent handling times
 * (not from a fixed average: the slots that free up per minute depend on how many navigators are on).
 */
export interface WaitInputs {
  /** 1-based position among the conversations waiting for the same skill. */
  position: number;
  /** Concurrent conversations the online navigators with the skill can hold in total. */
  totalSlots: number;
  /** Of those, how many are free right now (not holding or being offered a conversation). */
  freeSlots: number;
  /** Durations (ms) of recent finished handlings, any order. */
  recentHandleTimesMs: readonly number[];
}

/** Used until there are enough finished handlings to measure: a typical consultation is 4–10 minutes. */
export const DEFAULT_HANDLE_MINUTES = { low: 4, high: 10 };
const MIN_SAMPLES = 5;

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i] ?? 0;
}

/** What a skill's waiting citizens share in their estimate: the slots and the recent handling times. */
export type WaitFacts = Omit<WaitInputs, 'position'>;

/**
 * The estimate for each position in one skill's queue (minutes, or undefined when nobody who could take the
 * conversation is online). The handling times are sorted once, not once per waiting citizen.
 */
export function waitModel(w: WaitFacts): (position: number) => { min: number; max: number } | undefined {
  if (w.totalSlots <= 0) return () => undefined;
  let low = DEFAULT_HANDLE_MINUTES.low;
  let high = DEFAULT_HANDLE_MINUTES.high;
  if (w.recentHandleTimesMs.length >= MIN_SAMPLES) {
    const sorted = [...w.recentHandleTimesMs].sort((a, b) => a - b).map((ms) => ms / 60_000);
    low = quantile(sorted, 0.25);
    high = Math.max(low, quantile(sorted, 0.75));
  }
  return (position) => {
    const ahead = position - Math.max(0, w.freeSlots);
    if (ahead <= 0) return { min: 0, max: 1 };
    // Each slot frees up once per handling time, so `ahead` conversations need ahead/totalSlots handling times.
    const min = Math.floor((ahead * low) / w.totalSlots);
    const max = Math.max(min + 1, Math.ceil((ahead * high) / w.totalSlots));
    return { min, max };
  };
}

/** Minutes, or undefined when nobody who could take the conversation is online. */
export function estimateWait(w: WaitInputs): { min: number; max: number } | undefined {
  return waitModel(w)(w.position);
}
