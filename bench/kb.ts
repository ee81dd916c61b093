/**
 * Knowledge-base benchmark: load + validate time and memory for the sample knowledge base and for a
 * synthetic one of 15,000 items (`kb:synth`). Target: a 15k-item load + validate well under 30 s.
 * Printed, never asserted.
 *
 *   npx tsx bench/kb.ts [--items 15000]        (add --expose-gc after tsx for heap figures)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/config/config.ts';
import { countBySeverity, createKnowledgeBaseHolder, loadKnowledgeBase, type LoadResult } from '../server/kb/index.ts';
import { synthesizeKnowledgeBase } from '../server/kb/synth.ts';
import { kbValidators } from '../server/kb/validators.ts';

type Figures = Record<string, number | string>;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const gc = (globalThis as { gc?: () => void }).gc;

/** Wall time, and CPU time of this process (fairer on a shared, busy machine). */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

const timedLoad = (root: string) => timed(() => loadKnowledgeBase(root, { validators: kbValidators }));

async function measure(label: string, root: string, figures: Figures): Promise<void> {
  gc?.();
  const before = process.memoryUsage();
  const cold = await timedLoad(root);
  const warm = await timedLoad(root);
  const result: LoadResult = warm.value;
  const { errors, warnings } = countBySeverity(result.issues);
  figures[`${label}: items`] = result.counts.items;
  figures[`${label}: errors / warnings`] = `${errors} / ${warnings}`;
  figures[`${label}: load + validate, first (ms)`] = Math.round(cold.ms);
  figures[`${label}: load + validate, again (ms)`] = Math.round(warm.ms);
  figures[`${label}: load + validate, again (CPU ms)`] = Math.round(warm.cpuMs);
  figures[`${label}: CPU per item (ms)`] = warm.cpuMs / Math.max(1, result.counts.items);
  gc?.();
  const after = process.memoryUsage();
  figures[`${label}: RSS with two copies loaded (MiB)`] = mb(after.rss);
  figures[`${label}: RSS growth (MiB)`] = mb(after.rss - before.rss);
  // Only a valid knowledge base is built and kept (an invalid load returns issues only).
  if (gc && result.kb) figures[`${label}: heap per loaded copy (MiB)`] = mb((after.heapUsed - before.heapUsed) / 2);
  void cold.value;
  if (result.kb) {
    const holder = await createKnowledgeBaseHolder(root, { validators: kbValidators });
    const t0 = performance.now();
    await holder.reload();
    figures[`${label}: holder reload, unchanged files (ms)`] = Math.round(performance.now() - t0);
    await holder.close();
  }
}

export async function run(options: { items?: number } = {}): Promise<Figures> {
  const items = options.items ?? 15_000;
  const sample = path.join(PROJECT_ROOT, 'knowledge-base');
  const figures: Figures = {};
  await measure('sample', sample, figures);

  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-kb-')), 'kb');
  try {
    const synth = await timed(() => synthesizeKnowledgeBase({ from: sample, out, items }));
    figures[`synthetic ${items}: kb:synth (ms)`] = Math.round(synth.ms);
    figures[`synthetic ${items}: kb:synth (CPU ms)`] = Math.round(synth.cpuMs);
    await measure(`synthetic ${items}`, out, figures);
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
  figures['target: 15k load + validate'] = 'well under 30 000 ms';
  figures['peak RSS (MiB)'] = mb(process.resourceUsage().maxRSS * 1024);
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '15000' } } });
  run({ items: Number(values.items) }).then(
    (figures) => {
      for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(48)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
