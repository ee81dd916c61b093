import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.ts';
import { loadKnowledgeBase } from '../kb/index.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { evaluateRetrieval, readLabelledQueries, type QualityReport } from './evaluate.ts';
import { buildRetriever, type BuiltRetriever } from './index.ts';

const queries = readLabelledQueries(path.join(PROJECT_ROOT, 'server/retrieval/fixtures/dev-queries.yaml'));
let kb: KnowledgeBase;
let retriever: BuiltRetriever;
const reports = new Map<string, QualityReport>();
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-devq-'));

beforeAll(async () => {
  const loaded = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'));
  if (!loaded.kb) throw new Error(`sample knowledge base does not load: ${loaded.issues.map((i) => `${i.file}: ${i.message}`).join('; ')}`);
  kb = loaded.kb;
  retriever = await buildRetriever(kb, { cacheDir });
  for (const mode of ['lexical', 'vector', 'hybrid'] as const) reports.set(mode, await evaluateRetrieval(retriever, queries, mode));
});
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

describe('labelled dev queries over the sample knowledge base', () => {
  it('has at least 120 queries, each labelled with items that exist', () => {
    expect(queries.length).toBeGreaterThanOrEqual(120);
    const unknown = queries.flatMap((q) => q.expect).filter((id) => !kb.itemsById.has(id));
    expect(unknown).toEqual([]);
  });

  it('hybrid retrieval beats each leg alone (MRR) and finds the right item in the top 5 for at least 95% of queries', () => {
    const [lexical, vector, hybrid] = ['lexical', 'vector', 'hybrid'].map((m) => reports.get(m)!);
    const summary = Object.fromEntries(
      [...reports].map(([m, r]) => [m, { hitAt1: r.hitAt1.toFixed(3), hitAt5: r.hitAt5.toFixed(3), mrr: r.mrr.toFixed(3) }]),
    );
    expect(hybrid!.mrr, JSON.stringify(summary)).toBeGreaterThanOrEqual(lexical!.mrr);
    expect(hybrid!.mrr, JSON.stringify(summary)).toBeGreaterThanOrEqual(vector!.mrr);
    expect(hybrid!.hitAt5, JSON.stringify(hybrid!.misses)).toBeGreaterThanOrEqual(0.95);
    expect(hybrid!.hitAt1, JSON.stringify(summary)).toBeGreaterThanOrEqual(0.8);
  });
});
