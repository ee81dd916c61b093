/**
 * Retrieval quality on labelled queries: hit@1, hit@5 and MRR@10 per mode. A query's rank is the
 * position of the first hit about an expected item, counting distinct subjects (an item, or a document
 * about no single item), so several documents of one item do not push others down twice.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod/v4';
import type { Retriever, SearchOptions } from './types.ts';

export const LabelledQuery = z.strictObject({ q: z.string().min(1), expect: z.array(z.string().min(1)).min(1) });
export type LabelledQuery = z.infer<typeof LabelledQuery>;

export function readLabelledQueries(file: string): LabelledQuery[] {
  return z.array(LabelledQuery).parse(YAML.parse(fs.readFileSync(file, 'utf8')));
}

export interface QualityReport {
  mode: NonNullable<SearchOptions['mode']>;
  queries: number;
  hitAt1: number;
  hitAt5: number;
  mrr: number;
  /** Queries whose expected item is not in the top 5, with the subjects returned instead. */
  misses: Array<{ q: string; expect: string[]; got: string[] }>;
}

export async function evaluateRetrieval(
  retriever: Retriever,
  queries: readonly LabelledQuery[],
  mode: QualityReport['mode'],
): Promise<QualityReport> {
  let at1 = 0;
  let at5 = 0;
  let rr = 0;
  const misses: QualityReport['misses'] = [];
  for (const { q, expect } of queries) {
    const hits = await retriever.search(q, { k: 20, mode });
    const subjects: string[] = [];
    for (const h of hits) {
      const s = h.itemId ?? h.docId;
      if (!subjects.includes(s)) subjects.push(s);
    }
    const rank = subjects.slice(0, 10).findIndex((s) => expect.includes(s)) + 1;
    if (rank === 1) at1++;
    if (rank >= 1 && rank <= 5) at5++;
    else misses.push({ q, expect, got: subjects.slice(0, 5) });
    if (rank >= 1) rr += 1 / rank;
  }
  const n = Math.max(queries.length, 1);
  return { mode, queries: queries.length, hitAt1: at1 / n, hitAt5: at5 / n, mrr: rr / n, misses };
}
