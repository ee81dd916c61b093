/**
 * Golden enumeration: every combination of answers of every guide in knowledge-base/ against the reviewed
 * files in server/guides/expected/. `UPDATE_GUIDES=1 npx vitest run server/guides` rewrites them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.ts';
import { formatIssues, loadKnowledgeBase } from '../kb/index.ts';
import { BY_PROXY, item, kbOf, KIND, material } from './fixtures.ts';
import { checkGoldenFiles, goldenText } from './golden.ts';
import { createGuides, validateGuides } from './index.ts';

const UPDATE = process.env.UPDATE_GUIDES === '1';
const EXPECTED_DIR = path.join(PROJECT_ROOT, 'server', 'guides', 'expected');

describe('golden files: mechanics', () => {
  const fixture = (authorizationWhen: object) => kbOf([
    item('g', [KIND, BY_PROXY], [
      material('id-card'),
      material('old-card', { 'application-kind': ['renewal'] }),
      material('authorization', authorizationWhen as never),
    ]),
    item('plain', [], [material('always')]),
  ]);

  it('writes one block per combination, listing the questions asked and the materials with reasons', () => {
    const kb = fixture({ 'by-proxy': 'proxy' });
    const text = goldenText(createGuides(kb), kb.itemsById.get('g')!);
    expect(text).toContain('## application-kind=renewal, by-proxy=proxy\nasked: application-kind, by-proxy\n' +
      '- id-card · 材料id-card · 原件 ×1 · 所有申请人均需提交\n' +
      "- old-card · 材料old-card · 原件 ×1 · 因为您选择了'到期换领'\n" +
      "- authorization · 材料authorization · 原件 ×1 · 因为您选择了'委托他人代办'\n");
    expect(text.match(/^## /gm)).toHaveLength(6);
  });

  it('fails on any difference and says which combinations changed; fails on missing and stale files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-golden-'));
    const before = fixture({ 'by-proxy': 'proxy' });
    checkGoldenFiles(createGuides(before), before.items, dir, { update: true });
    expect(fs.readdirSync(dir)).toEqual(['g.txt']);
    expect(checkGoldenFiles(createGuides(before), before.items, dir, { update: false })).toEqual([{ itemId: 'g', problems: [] }]);

    // Authorisation now only for first applications by proxy: every combination but (first, self) changes —
    // renewals and replacements lose it and are no longer asked about a proxy at all.
    const after = fixture({ 'by-proxy': 'proxy', 'application-kind': 'first' });
    const [g] = checkGoldenFiles(createGuides(after), after.items, dir, { update: false });
    expect(g!.problems.map((p) => p.split('\n')[0])).toEqual([
      'changed: application-kind=first, by-proxy=proxy',
      'changed: application-kind=renewal, by-proxy=self',
      'changed: application-kind=renewal, by-proxy=proxy',
      'changed: application-kind=lost, by-proxy=self',
      'changed: application-kind=lost, by-proxy=proxy',
    ]);
    expect(g!.problems[0]).toContain("    + - authorization · 材料authorization · 原件 ×1 · 因为您选择了'首次申请'、'委托他人代办'");
    expect(g!.problems[2]).toContain("    - - authorization · 材料authorization · 原件 ×1 · 因为您选择了'委托他人代办'");
    expect(g!.problems[2]).toContain('    + skipped: by-proxy');

    fs.writeFileSync(path.join(dir, 'gone.txt'), 'x');
    fs.rmSync(path.join(dir, 'g.txt'));
    const problems = checkGoldenFiles(createGuides(before), before.items, dir, { update: false });
    expect(problems.map((p) => [p.itemId, p.problems[0]?.split(':')[0]])).toEqual([['g', 'no expected file ' + path.join(dir, 'g.txt')], ['gone', `${path.join(dir, 'gone.txt')} belongs to no guide in the knowledge base`]]);
  });
});

const loaded = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'), { validators: [validateGuides] });

describe('golden files: every guide in knowledge-base/', () => {
  it('the knowledge base loads, with no guide errors', () => {
    expect(loaded.kb, formatIssues(loaded.issues)).toBeDefined();
  });
  if (!loaded.kb) return;
  const kb = loaded.kb;
  const results = checkGoldenFiles(createGuides(kb), kb.items, EXPECTED_DIR, { update: UPDATE });
  it.each(results.map((r) => [r.itemId, r] as const))('%s matches its expected file', (_id, r) => {
    expect(r.problems, `${r.itemId}:\n${r.problems.join('\n')}`).toEqual([]);
  });
  it('at least one guide is checked', () => {
    expect(results.length).toBeGreaterThan(0);
  });
});
