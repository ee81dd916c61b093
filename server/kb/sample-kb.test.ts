/** What the sample knowledge base owes its English readers, beyond what the schema can require. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.ts';
import { loadKnowledgeBase } from './index.ts';

describe('sample knowledge base in English', () => {
  it('gives every place to go its English name, address and hours, and its note and directions in English when it has them', async () => {
    const { kb } = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'));
    const missing = kb!.items.flatMap((item) => item.locations.flatMap((l, i) => {
      const lacks = [
        !l.nameEn && 'nameEn', !l.addressEn && 'addressEn', !l.hoursEn && 'hoursEn', l.note && !l.noteEn && 'noteEn', l.transit && !l.transitEn && 'transitEn',
      ].filter(Boolean);
      return lacks.length ? [`${item.id} locations.${i}: ${lacks.join(', ')}`] : [];
    }));
    expect(missing).toEqual([]);
    expect(kb!.items.reduce((n, item) => n + item.locations.length, 0)).toBeGreaterThan(150);
  });

  it('names every fee, and the rule it is charged under, in English', async () => {
    const { kb } = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'));
    const unnamed = kb!.items.flatMap((item) => item.fees.items.filter((f) => !f.nameEn || (f.basis && !f.basisEn)).map((f) => `${item.id}: ${f.name}`));
    expect(unnamed).toEqual([]);
  });
});
