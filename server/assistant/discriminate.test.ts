import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { createFixtureRetriever } from './__fixtures__/retriever.ts';
import { detectAspect } from './aspects.ts';
import { actionsIn, discriminate } from './discriminate.ts';
import { familyOf } from './resolve.ts';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadFixtureKb();
});

describe('discriminate', () => {
  it('reads action classes in Chinese and English', () => {
    expect(actionsIn('个体户营业执照怎么注销')).toContain('act:deregister');
    expect(actionsIn('居住证丢了怎么补')).toContain('act:reissue');
    expect(actionsIn('创业补贴怎么领')).not.toContain('act:reissue');
    expect(actionsIn('I lost my ID card')).toContain('act:reissue');
  });

  it('picks the family member an action word points to, and none when nothing tells them apart', () => {
    const retriever = createFixtureRetriever(kb);
    const family = familyOf(kb, kb.itemsById.get('residence-permit-first')!);
    expect(discriminate(kb, retriever, family, '居住证快到期了要续签').item?.id).toBe('residence-permit-endorsement');
    expect(discriminate(kb, retriever, family, '居住证不见了要补办').item?.id).toBe('residence-permit-reissue');
    expect(discriminate(kb, retriever, family, '居住证怎么收费').item).toBeUndefined();
  });

  it('detects fee questions phrased by the fee name', () => {
    expect(detectAspect('登记费多少')).toBe('fee');
    expect(detectAspect('头一回办居住证收钱不')).toBe('fee');
  });
});
