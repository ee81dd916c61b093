import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { createFixtureRetriever } from './__fixtures__/retriever.ts';
import { createAssistant } from './assistant.ts';
import { checkFiguresIn } from './grounding.ts';
import { createMemorySessionStore } from './session-store.ts';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadFixtureKb();
});
afterEach(() => vi.restoreAllMocks());

describe('assistant.prepare', () => {
  it('works out every source\'s figures ahead of questions, so checking an answer serialises no source', async () => {
    const assistant = createAssistant({ kb, retriever: createFixtureRetriever(kb), sessions: createMemorySessionStore() });
    await assistant.prepare(kb);
    const sources = new Set<unknown>([...kb.items, ...kb.faqs, ...kb.policies]);
    const stringify = vi.spyOn(JSON, 'stringify');
    const item = kb.itemsById.get('residence-permit-first')!;
    const faq = kb.faqs[0]!;
    const policy = kb.policies[0]!;
    expect(checkFiguresIn('办理时限15个工作日，工本费999元。', [item, faq, policy])).toMatchObject({ ok: false, unsupported: ['999'] });
    expect(stringify.mock.calls.filter(([value]) => sources.has(value))).toEqual([]);
  });
});
