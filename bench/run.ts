/**
 * `npm run bench`: runs every capability's benchmark in one process run and prints their figures.
 * Each bench module exports `run(options)` returning named figures; targets are printed beside them,
 * never asserted (these machines are shared and noisy: compare ratios within one run).
 *
 *   npm run bench                 all benches
 *   npm run bench -- kb retrieval only the named ones
 *   npm run bench -- --items 5000 a smaller synthetic knowledge base (default 15000)
 * The scale bench needs PostgreSQL and Redis on this machine (see README, Running several instances).
 */
import { parseArgs } from 'node:util';

type Figures = Record<string, number | string>;
interface BenchModule {
  run(options: { items: number }): Promise<Figures>;
}

const BENCHES: Record<string, () => Promise<BenchModule>> = {
  kb: () => import('./kb.ts') as Promise<BenchModule>,
  retrieval: () => import('./retrieval.ts') as Promise<BenchModule>,
  assistant: () => import('./assistant.ts') as Promise<BenchModule>,
  guides: () => import('./guides.ts') as Promise<BenchModule>,
  handoff: () => import('./handoff.ts') as Promise<BenchModule>,
  // several service processes on PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379), as test:scale needs
  scale: () => import('./scale.ts') as Promise<BenchModule>,
};

function format(figures: Figures): string {
  return Object.entries(figures)
    .map(([k, v]) => `  ${k.padEnd(48)} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`)
    .join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { items: { type: 'string', default: '15000' } } });
  const items = Number(values.items);
  if (!Number.isInteger(items) || items < 1) throw new Error(`--items must be a positive integer, got "${values.items}"`);
  const names = positionals.length ? positionals : Object.keys(BENCHES);
  for (const name of names) {
    const load = BENCHES[name];
    if (!load) throw new Error(`unknown bench "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    const started = Date.now();
    console.log(`\n## ${name}`);
    const figures = await (await load()).run({ items });
    console.log(format(figures));
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
