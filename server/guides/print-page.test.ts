import { describe, expect, it } from 'vitest';
import { BY_PROXY, item, kbOf, material } from './fixtures.ts';
import { createGuides, renderChecklistPage, type ChecklistSnapshot } from './index.ts';

function snapshotWith(templateUrl: string): ChecklistSnapshot {
  const kb = kbOf([item('p', [BY_PROXY], [
    material('id-card', undefined, { name: '居民身份证' }),
    material('authorization', { 'by-proxy': 'proxy' }, { name: '委托书', template: { name: '样表', url: templateUrl } }),
  ])]);
  const s = createGuides(kb).snapshot('p', { 'by-proxy': 'proxy' }, 'zh');
  return { ...s, id: 'AbCdEfGhIjKlMnOpQrStUv', createdAt: '2026-09-20T08:00:00.000Z' };
}

describe('renderChecklistPage', () => {
  it('is a complete page without scripts, with print CSS and tick boxes', () => {
    const html = renderChecklistPage(snapshotWith('https://example.gov.cn/a.docx'), 'zh');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|onclick=/i);
    expect(html).toContain('@media print');
    expect(html.match(/<td class="box">☐<\/td>/g)).toHaveLength(2);
    expect(html).toContain('清单生成于 2026-09-20，依据事项版本（更新于 2026-09-01）');
    expect(html).toContain('依据：《事项p》办事指南，更新于 2026-09-01');
    // Questions ending in a question mark are followed by the answer, not by "？：".
    expect(html).toContain('您是本人办理，还是委托他人代办？ <strong>委托他人代办</strong>');
  });

  it('links only http(s) addresses', () => {
    const html = renderChecklistPage(snapshotWith('javascript:alert(1)'), 'zh');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('样表');
  });

  it('marks links whose text is their address, so print does not repeat it', () => {
    const html = renderChecklistPage(snapshotWith('https://example.gov.cn/a.docx'), 'en');
    expect(html).toContain('<a href="https://example.gov.cn/apply" class="bare">https://example.gov.cn/apply</a>');
    expect(html).toContain('<a href="https://example.gov.cn/a.docx">样表</a>');
    expect(html).toContain('<html lang="en">');
  });
});
