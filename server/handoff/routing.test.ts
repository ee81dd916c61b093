import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../kb/index.ts';
import type { Department } from '../kb/schema.ts';
import { recommendDepartment } from './routing.ts';

/** The definition, spelled out: every department's words checked against the text one by one. */
function reference(kb: KnowledgeBase, text: string): Department | undefined {
  const lower = text.toLowerCase();
  let best: { d: Department; score: number } | undefined;
  for (const d of kb.departments) {
    const terms = new Set<string>();
    for (const t of d.themes) {
      const theme = kb.themesById.get(t);
      if (theme) terms.add(theme.name.toLowerCase());
    }
    for (const phrase of d.handles.split(/[、，,；;\s]+|与|和|及/)) if (phrase.length >= 2) terms.add(phrase.toLowerCase());
    for (const item of kb.items) {
      if (!d.themes.includes(item.theme) && item.department !== d.id) continue;
      terms.add(item.title.toLowerCase());
      for (const a of item.aliases) terms.add(a.toLowerCase());
    }
    let score = 0;
    for (const term of terms) if (term && lower.includes(term)) score += term.length;
    if (score > 0 && (!best || score > best.score)) best = { d, score };
  }
  return best?.d ?? kb.departments.find((d) => d.skill === 'general');
}

describe('recommendDepartment', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = (await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'))).kb!;
  });

  it('prefers the department of the item discussed', () => {
    const item = kb.items.find((i) => i.theme === 'housing-fund')!;
    expect(recommendDepartment(kb, item.id, '随便问问')?.themes).toContain('housing-fund');
  });

  it('otherwise matches the citizen\'s words against every department\'s catalogue, as the definition says', () => {
    const texts = [
      '我想提取住房公积金', '居住证丢了怎么补办', '开公司要去哪里注册\n营业执照', '孩子上小学报名', '退休金怎么领',
      '我要投诉', '', 'HELLO residence permit', '医保报销和社保卡补办', '出入境 护照 港澳通行证 签注',
    ];
    for (const text of texts) expect(recommendDepartment(kb, null, text)?.id, text).toBe(reference(kb, text)?.id);
  });

  it('reads only the latest words of a very long conversation', () => {
    const long = `${'我想提取住房公积金。'.repeat(10)}${'好'.repeat(5000)}居住证丢了怎么补办`;
    expect(recommendDepartment(kb, null, long)?.id).toBe(reference(kb, '居住证丢了怎么补办')?.id);
  });
});
