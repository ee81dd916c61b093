/** Small helpers shared by the benchmarks: a seeded PRNG so runs are comparable, and percentiles. */
import { parseArgs } from 'node:util';

export { seededRandom } from '../server/common/seeded-random.ts';

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
