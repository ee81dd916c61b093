/**
 * The assistant wired in the real service: buildApp with the real hybrid retriever, guides, SQLite sessions and
 * checklist store, through HTTP on a listening server. KB_DIR is the frozen fixture slice of the sample KB so the
 * test does not move while knowledge-base/ is being edited (bench/assistant.ts runs on the full sample KB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KB_DIR } from './__fixtures__/kb-fixture.ts';
import { startTestService, type TestService } from './__fixtures__/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(FIXTURE_KB_DIR);
}, 120_000);
afterAll(async () => service?.close());
const chat = (message: string, sessionId?: string) => service.chat(message, sessionId);

describe('assistant in the service, with the real retriever', () => {
  it('clarifies the residence-permit family, then runs the checklist for the chosen item', async () => {
    const q = await chat('居住证要什么材料');
    expect(q.status).toBe('clarify');
    expect(q.options?.map((o) => o.id)).toEqual(expect.arrayContaining(['residence-permit-first', 'residence-permit-reissue']));
    const first = q.options!.find((o) => o.id === 'residence-permit-first')!;
    const step = await chat(first.value, q.sessionId);
    expect(step).toMatchObject({ status: 'checklist', item: { id: 'residence-permit-first' } });
  });

  it('answers an aspect with a cited figure and follows up', async () => {
    const a = await chat('居住证丢了补办要交多少钱');
    expect(a).toMatchObject({ status: 'answered', intent: 'aspect:fee', item: { id: 'residence-permit-reissue' } });
    expect(a.citations[0]?.id).toBe('residence-permit-reissue');
    const b = await chat('那要多久？', a.sessionId);
    expect(b).toMatchObject({ intent: 'aspect:timeLimit', item: { id: 'residence-permit-reissue' } });
  });

  it('serves search groups and the OpenAPI document', async () => {
    const s = await (await fetch(`${service.base}/api/search?q=${encodeURIComponent('公积金贷款')}`)).json() as { groups: { items: { results: Array<{ id: string }> } } };
    expect(s.groups.items.results.length).toBeGreaterThan(0);
    const doc = await (await fetch(`${service.base}/api/openapi.json`)).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/chat', '/v1/chat/completions', '/api/search']));
  });
});
