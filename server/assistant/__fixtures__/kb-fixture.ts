/** Loads the frozen fixture knowledge base once per test file. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../../kb/load.ts';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';

export const FIXTURE_KB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kb');

export async function loadFixtureKb(): Promise<KnowledgeBase> {
  const { kb, issues } = await loadKnowledgeBase(FIXTURE_KB_DIR, { now: new Date('2026-11-22T00:00:00Z') });
  if (!kb) throw new Error(`fixture KB invalid: ${JSON.stringify(issues.slice(0, 3))}`);
  return kb;
}
