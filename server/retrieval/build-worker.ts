/**
 * The child side of an isolated build (see isolated-build.ts): reads the job file, builds the index and
 * writes it into the cache directory, reports its phase timings and exits.
 */
import fs from 'node:fs';
import { Analyzer } from './analyzer.ts';
import { buildParts, saveParts } from './build.ts';
import type { SearchDocument } from './documents.ts';
import { lsaEmbedder } from './embedders.ts';
import type { BuildJob, BuildReport } from './isolated-build.ts';
import { getSegmenter } from './segmenter.ts';

async function main(input: string): Promise<Record<string, number>> {
  const t0 = performance.now();
  const lines = fs.readFileSync(input, 'utf8').split('\n');
  const job = JSON.parse(lines[0]!) as BuildJob;
  const docs: SearchDocument[] = [];
  for (let i = 1; i < lines.length; i++) if (lines[i]) docs.push(JSON.parse(lines[i]!) as SearchDocument);
  lines.length = 0;
  const phases: Record<string, number> = { 'child: read input': performance.now() - t0 };
  const segmenter = getSegmenter();
  const analyzer = new Analyzer(segmenter, job.synonyms, job.userWords);
  phases['child: segmenter'] = segmenter.loadMs;
  const embedder = lsaEmbedder(() => analyzer, job.lsa);
  const parts = await buildParts(docs, analyzer, embedder, job.hnsw, phases);
  const t = performance.now();
  await saveParts(job.cacheDir, job.indexDir, job.kbHash, embedder, parts);
  phases.save = performance.now() - t;
  // CPU time says what the build costs on a shared machine, where wall time also counts other processes.
  const cpu = process.cpuUsage();
  phases['child: CPU time'] = (cpu.user + cpu.system) / 1000;
  return phases;
}

const send = (report: BuildReport) => new Promise<void>((resolve) => (process.send ? process.send(report, () => resolve()) : resolve()));

main(process.argv[2] ?? '')
  .then((phases) => send({ ok: true, phases }))
  .catch((err: unknown) => send({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }))
  .finally(() => process.exit(0));
