import { describe, expect, it } from 'vitest';
import { formatIssue, loadKnowledgeBase } from '../kb/index.ts';
import { edit, FIXTURE_NOW, writeFixtureKb } from '../kb/testing/fixture-kb.ts';
import { kbValidators } from '../kb/validators.ts';

const load = (changes: Record<string, string>) => loadKnowledgeBase(writeFixtureKb(changes), { now: FIXTURE_NOW, validators: kbValidators });

describe('figures in the English texts of the knowledge base', () => {
  it('accepts English that states the Chinese figures in digits, with separators, words for multipliers or none', async () => {
    const ok = await load({
      ...edit('items/residence-permit/rp-first.yaml', 'summary: 非本市户籍人员居住登记满半年可申领居住证。\nsummaryEn: Non-Beijing residents registered for six months may apply.',
        'summary: 居住登记满半年、年收入10万元以下、缴费满十五个月可申领居住证。\nsummaryEn: "After half a year of registration, with an income under 100,000 yuan and 15 months of contributions, you may apply."'),
      ...edit('faqs/residence-permit.yaml', '  answer: 北京市居住证有效期为一年。\n', '  answer: 北京市居住证有效期为一年。\n  answerEn: A Beijing residence permit is valid for one year.\n'),
    });
    expect(ok.issues.filter((i) => i.severity === 'error').map(formatIssue)).toEqual([]);
    expect(ok.kb).toBeDefined();
  });

  it('rejects an English text stating a figure its Chinese text does not, naming the file, line and field', async () => {
    const bad = await load({
      ...edit('items/residence-permit/rp-first.yaml', 'summaryEn: Non-Beijing residents registered for six months may apply.', 'summaryEn: Non-Beijing residents registered for 3 months may apply.'),
      ...edit('faqs/residence-permit.yaml', '  answer: 北京市居住证有效期为一年。\n', '  answer: 北京市居住证有效期为一年。\n  answerEn: A Beijing residence permit is valid for 2 years.\n'),
    });
    expect(bad.kb).toBeUndefined();
    const errors = bad.issues.filter((i) => i.severity === 'error');
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ file: 'items/residence-permit/rp-first.yaml', field: 'summaryEn', line: 10, message: expect.stringContaining('states 3') }),
      expect.objectContaining({ file: 'faqs/residence-permit.yaml', field: '0.answerEn', line: 4, message: expect.stringContaining('states 2') }),
    ]));
  });

  it('checks the English of places to go and of fee names too', async () => {
    const summary = 'summaryEn: Non-Beijing residents registered for six months may apply.';
    const place = [
      'locations:', '  - name: 东城区政务服务中心', '    nameEn: Dongcheng District Government Services Center',
      '    address: 北京市东城区安定门东大街2号', '    addressEn: No. 2 Andingmen East Street, Dongcheng District, Beijing',
      '    hours: 周一至周五 9:00-17:00', '    hoursEn: Mon–Fri 9:00–17:00',
    ].join('\n');
    const ok = await load(edit('items/residence-permit/rp-first.yaml', summary, `${summary}\n${place}`));
    expect(ok.issues.filter((i) => i.severity === 'error').map(formatIssue)).toEqual([]);
    const bad = await load(edit('items/residence-permit/rp-first.yaml', summary, `${summary}\n${place.replace('9:00–17:00', '9:00–18:00').replace('No. 2 ', 'No. 12 ')}`));
    expect(bad.kb).toBeUndefined();
    expect(bad.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ file: 'items/residence-permit/rp-first.yaml', field: 'locations.0.addressEn', message: expect.stringContaining('states 12') }),
      expect.objectContaining({ file: 'items/residence-permit/rp-first.yaml', field: 'locations.0.hoursEn', message: expect.stringContaining('states 18') }),
    ]);
  });
});
