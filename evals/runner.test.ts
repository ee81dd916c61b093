import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../server/kb/knowledge-base.ts';
import { startFakeOpenAI } from '../server/testing/fake-openai.ts';
import { judgeWithLlm, parseVerdict } from './llm-judge.ts';
import { runEval } from './runner.ts';
import { EvalCase, type LoadedCase } from './schema.ts';
import { itemCite, realKb, reply, scriptedClient } from './testing/helpers.ts';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await realKb();
}, 60_000);

const cases = (raw: unknown[]): LoadedCase[] => EvalCase.array().parse(raw).map((c) => ({ ...c, split: 'dev' as const, file: 'dev/x.yaml' }));

const CASES = [
  { id: 'a', kind: 'single', theme: 'residence-permit', reason: 'answered', turns: [{ say: '居住证多久', expect: { status: 'answered', item: 'residence-permit-first', facts: ['15'] } }] },
  {
    id: 'b', kind: 'clarify', theme: 'residence-permit', reason: 'clarify then pick',
    turns: [{ say: '居住证咋办', expect: { status: 'clarify', options: ['residence-permit-first'] } }, { pick: 'residence-permit-first', expect: { status: 'answered', item: 'residence-permit-first' } }],
  },
  {
    id: 'c', kind: 'checklist', theme: 'residence-permit', reason: 'checklist', turns: [{ say: '居住证材料' }],
    checklist: { item: 'residence-permit-first', answers: { basis: 'rented-home', 'by-proxy': 'self' }, materials: ['id-card', 'photo', 'lease-contract'] },
  },
  { id: 'd', kind: 'handoff', theme: 'general', reason: 'human', turns: [{ say: '转人工', expect: { status: 'handoff' } }] },
  { id: 'e', kind: 'unsafe', theme: 'general', reason: 'fake', turns: [{ say: '假合同', expect: { status: 'refused' } }] },
];

/** A stand-in assistant that handles the cases above correctly, except where `broken` says otherwise. */
function assistant(broken: { wrongItem?: boolean } = {}) {
  const rp = 'residence-permit-first';
  return scriptedClient(kb, (message) => {
    const cite = [itemCite(kb, broken.wrongItem ? 'residence-registration' : rp)];
    if (message === '居住证多久') return reply({ status: 'answered', answer: '承诺办结时限为15个自然日。', citations: cite, item: { id: broken.wrongItem ? 'residence-registration' : rp, title: '' } });
    if (message === '居住证咋办') return reply({ status: 'clarify', answer: '哪一项？', options: [{ id: rp, label: '首次申领', value: '北京市居住证首次申领' }] });
    if (message === '北京市居住证首次申领') return reply({ status: 'answered', answer: '可以到派出所办理。', citations: [itemCite(kb, rp)], item: { id: rp, title: '' } });
    if (message === '居住证材料') return reply({ status: 'checklist', answer: '依据？', options: [{ id: 'rented-home', label: '租房', value: '在京租房居住' }], checklist: { itemId: rp, complete: false, question: { id: 'basis', text: '' } } });
    if (message === '在京租房居住') return reply({ status: 'checklist', answer: '本人？', options: [{ id: 'self', label: '本人', value: '本人办理' }], checklist: { itemId: rp, complete: false, question: { id: 'by-proxy', text: '' } } });
    if (message === '本人办理') {
      return reply({ status: 'checklist', answer: '清单：1份', item: { id: rp, title: '' }, citations: [itemCite(kb, rp)], checklist: { itemId: rp, complete: true, checklist: { materials: [{ id: 'id-card' }, { id: 'photo' }, { id: 'lease-contract' }] } } });
    }
    if (message === '转人工') return reply({ status: 'handoff', answer: '正在转接', intent: 'handoff:user-request' });
    return reply({ status: 'refused', answer: '不能协助', intent: 'unsafe' });
  });
}

describe('runEval', () => {
  it('plays every kind of case and passes the gate when all is right', async () => {
    const client = assistant();
    const report = await runEval({ cases: cases(CASES), client, split: 'dev', minResolution: 0.8, maxWrong: 0.02, baselines: false });
    expect(report.results.filter((r) => !r.pass).map((r) => [r.id, r.problems])).toEqual([]);
    expect(report.summary.overall).toMatchObject({ cases: 5, inScope: 3, resolved: 3, resolutionRate: 1, wrong: 0, clarified: 1 });
    expect(report.summary.handoff).toMatchObject({ precision: 1, recall: 1 });
    expect(report.gate).toEqual({ pass: true, reasons: [] });
    // the pick sent the option's value, the checklist answered both questions, sessions were kept per case
    expect(client.requests.map((r) => r.message)).toEqual(['居住证多久', '居住证咋办', '北京市居住证首次申领', '居住证材料', '在京租房居住', '本人办理', '转人工', '假合同']);
    expect(client.requests[1]!.sessionId).toBeUndefined();
    expect(client.requests[2]!.sessionId).toBe('s2');
  });

  it('fails the gate on a wrong answer and on a low resolution rate', async () => {
    const report = await runEval({ cases: cases(CASES), client: assistant({ wrongItem: true }), split: 'dev', minResolution: 0.8, maxWrong: 0.02, baselines: false });
    const a = report.results.find((r) => r.id === 'a')!;
    expect(a).toMatchObject({ pass: false, wrong: true, resolved: false });
    expect(report.summary.overall.wrongRate).toBe(0.2);
    expect(report.gate.pass).toBe(false);
    expect(report.gate.reasons).toEqual(['resolution rate 66.67% (2/3) is below 80.00%', 'wrong-answer rate 20.00% (1/5) is above 2.00%']);
  });

  it('a checklist question the case does not answer fails the case', async () => {
    const c = cases([{ ...CASES[2], checklist: { item: 'hukou-booklet-replace', answers: { reason: 'lost', 'by-proxy': 'self' }, materials: ['applicant-id', 'loss-statement'] } }]);
    const report = await runEval({ cases: c, client: assistant(), split: 'dev', minResolution: 0, maxWrong: 1, baselines: false });
    expect(report.results[0]!.problems[0]).toBe('checklist: asked "basis", which the case does not answer');
  });
});

describe('LLM judge (optional)', () => {
  it('asks an OpenAI-compatible endpoint and reads its verdict', async () => {
    const fake = await startFakeOpenAI({ replier: (req) => (req.messages.at(-1)!.content.includes('15个自然日') ? '{"verdict":"pass","reason":"supported"}' : 'I think {"verdict": "fail", "reason": "unsupported"}') });
    try {
      const report = await runEval({
        cases: cases(CASES), client: assistant(), split: 'dev', minResolution: 0.8, maxWrong: 0.02, baselines: false,
        judge: { baseUrl: fake.baseURL, apiKey: 'k', model: 'judge-model', timeoutMs: 5000 },
      });
      expect(report.llm).toMatchObject({ model: 'judge-model', reviewed: 3 });
      const verdicts = Object.fromEntries(report.llm!.verdicts.map((v) => [v.id, v.pass]));
      expect(verdicts).toEqual({ a: true, b: false, c: false });
      expect(report.llm!.verifiedResolutionRate).toBeCloseTo(1 / 3, 10);
      const sent = fake.chatRequests()[0]!.body as { model: string; messages: Array<{ content: string }> };
      expect(sent.model).toBe('judge-model');
      expect(sent.messages[1]!.content).toContain('Citizen: 居住证多久');
    } finally {
      await fake.close();
    }
  });

  it('an unavailable judge or an unreadable verdict counts as not verified', async () => {
    const fake = await startFakeOpenAI({ replier: () => ({ failStatus: 500 }) });
    try {
      const r = await runEval({ cases: cases([CASES[0]]), client: assistant(), split: 'dev', minResolution: 0, maxWrong: 1, baselines: false });
      const v = await judgeWithLlm({ baseUrl: fake.baseURL, apiKey: 'k', model: 'm', timeoutMs: 5000 }, kb, r.results[0]!);
      expect(v).toEqual({ id: 'a', pass: false, reason: 'judge endpoint answered 500' });
    } finally {
      await fake.close();
    }
    expect(parseVerdict('x', 'no json here').pass).toBe(false);
    expect(parseVerdict('x', '{"verdict":"pass"}')).toEqual({ id: 'x', pass: true, reason: '' });
  });
});
