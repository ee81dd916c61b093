import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, loadKnowledgeBase } from './index.ts';
import { synthesizeKnowledgeBase } from './synth.ts';
import { FIXTURE_NOW, writeFixtureKb } from './testing/fixture-kb.ts';

const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-synth-')), 'kb');

describe('synthetic knowledge base', () => {
  it('generates 15,000 valid items from whatever items the source has', async () => {
    const out = tmp();
    const result = await synthesizeKnowledgeBase({ from: writeFixtureKb(), out, items: 15_000 });
    expect(result).toMatchObject({ items: 15_000, sourceItems: 2, variants: 14_998 });
    const { kb, issues } = await loadKnowledgeBase(out, { now: FIXTURE_NOW });
    expect(issues.map(formatIssue).slice(0, 20)).toEqual([]);
    expect(kb!.items).toHaveLength(15_000);

    const source = kb!.itemsById.get('rp-first')!;
    const variant = kb!.itemsById.get('rp-first-chaoyang')!;
    expect(variant).toMatchObject({ title: '朝阳区居住证首次申领', level: '区级', district: '朝阳区', theme: 'residence-permit' });
    expect(variant.locations[0]!.name).toBe('朝阳区政务服务中心');
    expect(variant.locations[0]!.address).toMatch(/^北京市朝阳区/);
    expect(variant.sourceUrl).toContain('/110105/');
    // situational logic untouched
    expect(variant.questions).toEqual(source.questions);
    expect(variant.materials.map((m) => [m.id, m.when])).toEqual(source.materials.map((m) => [m.id, m.when]));
    // streets and further stations once the district centres are used
    const street = kb!.items.find((it) => it.id.startsWith('rp-first-chaoyang-s01'))!;
    expect(street.title).toBe('朝阳区建外街道居住证首次申领');
    expect(kb!.items.some((it) => /便民服务中心第二服务站$/.test(it.locations[0]?.name ?? ''))).toBe(true);
    // variants are hard to tell apart, but not identical
    const chaoyang = kb!.items.filter((it) => it.district === '朝阳区' && it.id.startsWith('rp-first-'));
    expect(new Set(chaoyang.map((it) => it.locations[0]!.phone)).size).toBeGreaterThan(chaoyang.length * 0.95);
    expect(new Set(chaoyang.map((it) => `${it.locations[0]!.hours}|${it.timeLimit.promisedDays}|${it.summary}`)).size).toBeGreaterThan(10);
  });

  it('is deterministic: the same source and seed give the same files', async () => {
    const from = writeFixtureKb();
    const [a, b, c] = [tmp(), tmp(), tmp()];
    await synthesizeKnowledgeBase({ from, out: a, items: 300 });
    await synthesizeKnowledgeBase({ from, out: b, items: 300 });
    await synthesizeKnowledgeBase({ from, out: c, items: 300, seed: 2 });
    const [ha, hb, hc] = await Promise.all([a, b, c].map(async (d) => (await loadKnowledgeBase(d, { now: FIXTURE_NOW })).hash));
    expect(ha).toBe(hb);
    expect(hc).not.toBe(ha);
  });

  it('refuses a non-empty output directory and too small a count', async () => {
    const from = writeFixtureKb();
    await expect(synthesizeKnowledgeBase({ from, out: from, items: 10 })).rejects.toThrow(/not empty/);
    await expect(synthesizeKnowledgeBase({ from, out: tmp(), items: 1 })).rejects.toThrow(/at least the 2 items/);
  });
});
