import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai.ts';
import { miniKnowledgeBase } from './fixtures/mini-kb.ts';
import { buildRetriever } from './index.ts';

let fake: FakeOpenAI;
const dirs: string[] = [];
beforeAll(async () => {
  fake = await startFakeOpenAI({ dimensions: 48 });
});
afterAll(async () => {
  await fake.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const embeddingRequests = () => fake.requests.filter((r) => r.path === '/v1/embeddings');

describe('OpenAI-compatible embeddings over HTTP', () => {
  it('embeds every document through the endpoint, as floats, and searches with the returned vectors', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-oai-'));
    dirs.push(cacheDir);
    const kb = miniKnowledgeBase();
    const config = { baseUrl: fake.baseURL, apiKey: 'test-key', model: 'fake-embed' };
    const before = embeddingRequests().length;
    const retriever = await buildRetriever(kb, { cacheDir, embeddings: config });
    expect(retriever.stats.embedder).toMatch(/^openai-fake-embed-/);
    expect(retriever.stats.dimensions).toBe(48);
    const buildRequests = embeddingRequests().slice(before);
    expect(buildRequests.length).toBeGreaterThan(0);
    const sent = buildRequests.flatMap((r) => r.body.input as string[]);
    expect(sent).toHaveLength(retriever.stats.documents);
    for (const r of buildRequests) {
      expect(r.body.encoding_format).toBe('float');
      expect(r.body.model).toBe('fake-embed');
      expect(r.headers.authorization).toBe('Bearer test-key');
    }

    const hits = await retriever.search('户口本丢了补领', { mode: 'vector', k: 3 });
    const queryRequest = embeddingRequests().at(-1)!;
    expect(queryRequest.body.input).toBe('户口本丢了补领');
    // The vector leg ranks by cosine against the fake's vectors.
    const queryVector = fake.embed('户口本丢了补领');
    expect(hits[0]!.vector!.score).toBeCloseTo(
      Math.max(...sent.map((t) => cosine(queryVector, fake.embed(t)))),
      4,
    );
    expect((await retriever.search('户口本丢了补领'))[0]!.itemId).toBe('hukou-booklet-replace');

    // Warm start: vectors come from the cache, only queries hit the endpoint.
    const count = embeddingRequests().length;
    const warm = await buildRetriever(kb, { cacheDir, embeddings: config });
    expect(warm.stats.loadedFromCache).toBe(true);
    expect(embeddingRequests().length).toBe(count);
    expect(await warm.search('户口本丢了补领', { mode: 'vector', k: 3 })).toEqual(hits);
  });

  it('falls back to the lexical leg when the endpoint fails at query time', async () => {
    const kb = miniKnowledgeBase({ hash: 'e'.repeat(64) });
    const warnings: string[] = [];
    const logger = { info() {}, warn: (_: object, m: string) => warnings.push(m) };
    const embeddings = { baseUrl: fake.baseURL, apiKey: 'k', model: 'fake-embed', maxRetries: 0 };
    const retriever = await buildRetriever(kb, { embeddings, logger });
    await fake.close();
    const hits = await retriever.search('户口本丢了补领');
    expect(hits[0]!.itemId).toBe('hukou-booklet-replace');
    expect(hits.every((h) => !h.vector)).toBe(true);
    expect(warnings).toEqual(['vector search failed; answering from the lexical leg alone']);
    await expect(retriever.search('户口本丢了补领', { mode: 'vector' })).rejects.toThrow();
    fake = await startFakeOpenAI({ dimensions: 48 });
  });
});

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
}
