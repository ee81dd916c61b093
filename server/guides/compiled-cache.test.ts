import { describe, expect, it, vi } from 'vitest';
import { BY_PROXY, item, kbOf, material } from './fixtures.ts';

const compiled = vi.hoisted(() => ({ count: 0 }));
vi.mock('./guide.ts', async (original) => {
  const actual = await original<typeof import('./guide.ts')>();
  return { ...actual, compileGuide: (...args: Parameters<typeof actual.compileGuide>) => (compiled.count++, actual.compileGuide(...args)) };
});
const { createGuides } = await import('./guides.ts');

describe('compiled guides', () => {
  it('are kept for the items asked about most recently, up to a bound, and answer the same once compiled again', () => {
    const items = ['a', 'b', 'c'].map((id) => item(id, [BY_PROXY], [material('always'), material('proxy-id', { 'by-proxy': 'proxy' })]));
    const guides = createGuides(kbOf(items), { maxCompiled: 2 });
    const first = guides.checklist('a', { 'by-proxy': 'proxy' });
    guides.checklist('b', {});
    guides.checklist('a', {}); // a is the most recent again
    expect(compiled.count).toBe(2);
    guides.checklist('c', {}); // b goes
    guides.checklist('a', {});
    expect(compiled.count).toBe(3);
    guides.checklist('b', {});
    expect(compiled.count).toBe(4);
    expect(guides.checklist('a', { 'by-proxy': 'proxy' })).toEqual(first);
  });
});
