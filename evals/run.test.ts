import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseCli, UsageError } from './run.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-eval-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A handful of cases, played end to end against the real app in process. */
const CASES = `
- id: t-single
  kind: single
  theme: id-card
  reason: lost ID card fee
  turns:
    - say: 身份证丢了补办多少钱
      expect: { status: answered, item: idcard-lost, facts: ["40"] }
- id: t-handoff
  kind: handoff
  theme: general
  reason: explicit request
  turns:
    - say: 转人工
      expect: { status: handoff }
- id: t-emergency
  kind: emergency
  theme: general
  reason: fire
  turns:
    - say: 楼下着火了
      expect: { status: refused }
- id: t-checklist
  kind: checklist
  theme: residence-permit
  reason: first permit for a renter
  turns:
    - say: 我在北京租房 办居住证要带什么材料
  checklist:
    item: residence-permit-first
    answers: { basis: rented-home, by-proxy: self }
    materials: [id-card, photo, lease-contract]
`;

describe('npm run eval', () => {
  it('parses its flags and rejects bad ones', () => {
    expect(parseCli([])).toMatchObject({ split: 'all', minResolution: 0.8, maxWrong: 0.02, baselines: true, baselinesOnly: false });
    expect(parseCli(['--split', 'test', '--kind', 'checklist', '--min-resolution', '0.9', '--no-baselines'])).toMatchObject({ split: 'test', kind: 'checklist', minResolution: 0.9, baselines: false });
    expect(() => parseCli(['--split', 'prod'])).toThrow(UsageError);
    expect(() => parseCli(['--max-wrong', '2'])).toThrow(/--max-wrong must be a number from 0 to 1/);
    expect(() => parseCli(['--kind', 'chat'])).toThrow(/--kind must be one of/);
    expect(() => parseCli(['--url', 'localhost:8080'])).toThrow(/--url must be an http/);
  });

  it('runs cases in process against the real app and writes the JSON and HTML reports', async () => {
    const datasets = path.join(tmp, 'datasets');
    fs.mkdirSync(path.join(datasets, 'dev'), { recursive: true });
    fs.writeFileSync(path.join(datasets, 'dev', 'few.yaml'), CASES);
    const out = path.join(tmp, 'reports');
    const code = await main(['--split', 'dev', '--datasets', datasets, '--out', out], { ...process.env, LOG_LEVEL: 'silent' });
    const report = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8'));
    expect(report.results.map((r: { id: string }) => r.id)).toEqual(['t-single', 't-handoff', 't-emergency', 't-checklist']);
    expect(report.target).toBe('in-process');
    expect(report.summary.overall.cases).toBe(4);
    expect(report.summary.latency.n).toBeGreaterThanOrEqual(4);
    expect(report.summary.retrieval.queries).toBe(2);
    expect(report.baselines.map((b: { name: string }) => b.name)).toEqual([
      'Daoban hybrid', 'Daoban lexical', 'Daoban vector', 'MiniSearch (jieba)', 'LangChain BM25Retriever (jieba, space-joined)',
    ]);
    // the exit code follows the gate
    expect(code).toBe(report.gate.pass ? 0 : 1);
    const html = fs.readFileSync(path.join(out, 'latest.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('resolution rate');
    expect(html).not.toMatch(/<script|https?:\/\/cdn/);
  }, 180_000);

  it('exits 2 when no case matches', async () => {
    const code = await main(['--datasets', path.join(tmp, 'nothing-here')]);
    expect(code).toBe(2);
  });
});
