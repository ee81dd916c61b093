/** Small helpers shared by the benchmarks: a seeded PRNG so runs are comparable, and percentiles. */
import { parseArgs } from 'node:util';

/** mulberry32: deterministic, fast, good enough to pick benchmark inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The p-th percentile (0..100) of values already sorted ascending; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Reads `--name N` flags that must be positive integers (standalone bench runs); absent flags are left out. */
export function positiveIntFlags<K extends string>(names: readonly K[], args = process.argv.slice(2)): Partial<Record<K, number>> {
  const { values } = parseArgs({ args, strict: false, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])) });
  const out: Partial<Record<K, number>> = {};
  for (const name of names) {
    const raw = values[name];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${String(raw)}"`);
    out[name] = n;
  }
  return out;
}
