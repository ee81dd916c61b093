import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FUSION } from './fusion.ts';
import { buildRetriever, type BuiltRetriever } from './index.ts';
import { miniKnowledgeBase } from './fixtures/mini-kb.ts';
import { SearchThread } from './search-thread.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-search-thread-'));
  dirs.push(dir);
  return dir;
};

const QUERIES = ['暂住证怎么办', '公积金交房租', 'register a company', '社保断缴', '居住证续签要多久'];
const MODES = ['hybrid', 'lexical', 'vector'] as const;

let local: BuiltRetriever;
let threaded: BuiltRetriever;
beforeAll(async () => {
  const kb = miniKnowledgeBase();
  const cacheDir = tempDir();
  local = await buildRetriever(kb, { cacheDir });
  threaded = await buildRetriever(kb, { cacheDir, searchThread: true });
});
afterAll(async () => {
  await threaded.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const threadOf = (r: BuiltRetriever) => r.ranker as SearchThread;

describe('ranking in a search thread', () => {
  it('loads the index and the offline model in the thread only, and ranks exactly as the main thread does', async () => {
    expect(threaded.stats.searchThread).toBe(true);
    expect(threaded.index).toBeUndefined();
    expect(threaded.embeddings).toBeUndefined(); // the thread embeds the queries
    expect(threaded.ranker.embedsQueries).toBe(true);
    expect(local.stats.searchThread).toBe(false);
    expect(threaded.stats).toMatchObject({ documents: local.stats.documents, byKind: local.stats.byKind, postings: local.stats.postings, ef: local.stats.ef });
    for (const q of QUERIES) {
      for (const mode of MODES) expect(await threaded.searchDetailed(q, { mode }), `${q} ${mode}`).toEqual(await local.searchDetailed(q, { mode }));
      expect(await threaded.search(q, { kinds: ['faq'], k: 3 })).toEqual(await local.search(q, { kinds: ['faq'], k: 3 }));
    }
  });

  it('answers searches sent together, each with its own ranking', async () => {
    const together = await Promise.all(QUERIES.map((q) => threaded.search(q)));
    for (const [i, q] of QUERIES.entries()) expect(together[i]).toEqual(await local.search(q));
  });

  it('starts another thread when one dies, and answers the searches it left', async () => {
    const first = threadOf(threaded).worker;
    const pending = threaded.search(QUERIES[0]!); // sent to the thread that is about to die
    await first.terminate();
    expect(await pending).toEqual(await local.search(QUERIES[0]!));
    expect(await threaded.search(QUERIES[1]!)).toEqual(await local.search(QUERIES[1]!));
    expect(threadOf(threaded).worker).not.toBe(first);
  });

  it('a closed retriever answers what it was asked, then refuses with a clear error', async () => {
    const r = await buildRetriever(miniKnowledgeBase(), { cacheDir: local.stats.indexDir ? path.dirname(local.stats.indexDir) : tempDir(), searchThread: true });
    const asked = r.search(QUERIES[2]!);
    const closing = r.close();
    expect(await asked).toEqual(await local.search(QUERIES[2]!));
    await closing;
    await expect(r.search(QUERIES[2]!)).rejects.toThrow(/retriever is closed/);
  });

  it('a thread that cannot load its index fails the start, and the retriever builds the index itself', async () => {
    await expect(SearchThread.start({ indexDir: path.join(tempDir(), 'missing'), efSearch: 64, fusion: DEFAULT_FUSION, facts: { kinds: new Uint8Array(0), subjects: new Int32Array(0) }, embedsQueries: true })).rejects.toThrow(/no index/);
    const cacheDir = tempDir();
    const kb = miniKnowledgeBase({ hash: 'f'.repeat(64) });
    const built = await buildRetriever(kb, { cacheDir });
    fs.writeFileSync(path.join(built.stats.indexDir!, 'lexical.bin'), 'truncated');
    const warnings: string[] = [];
    const r = await buildRetriever(kb, { cacheDir, searchThread: true, logger: { info() {}, warn: (_: object, msg: string) => warnings.push(msg) } });
    expect(warnings).toEqual(['the search thread could not load the index; building it in this thread']);
    expect(r.stats).toMatchObject({ searchThread: false, loadedFromCache: false });
    expect(await r.search(QUERIES[0]!)).toEqual(await local.search(QUERIES[0]!));
  });
});
