import { describe, expect, it } from 'vitest';
import { checkFiguresIn, extractFigures, parseChineseNumber } from './grounding.ts';
import { detectAspect, subjectOf } from './aspects.ts';
import { routeIntent } from './intents.ts';

describe('grounding check', () => {
  it('extracts Arabic and Chinese figures, ignoring links and list numbers', () => {
    expect(extractFigures('15个工作日，工本费20.00元，电话010-85225050')).toEqual(['15', '20', '10', '85225050']);
    expect(extractFigures('十五个工作日内，收费二十元')).toEqual(['15', '20']);
    expect(extractFigures('1,000, 1,500 or 2,000 yuan; 1,2')).toEqual(['1000', '1500', '2000', '1', '2']);
    expect(extractFigures('年收入10万元以下，1.5万元')).toEqual(['100000', '15000']);
    expect(extractFigures('sales not over 5 million yuan')).toEqual(['5000000']);
    expect(extractFigures('初级（五级）、高级（三级）')).toEqual(['5', '3']);
    // counts by measure word: 六个指标, 三类, 两名 (a lone 一 or 两 stays unchecked)
    expect(extractFigures('创新能力、成长性、专业化三类六个指标，需十个工作日')).toEqual(['3', '6', '10']);
    expect(extractFigures('三名以上股东，一个窗口，两个人')).toEqual(['3']);
    expect(extractFigures('千家万户，个人申请')).toEqual([]);
    expect(checkFiguresIn('评价指标为三类五个指标', [{ summary: '三类六个指标' }])).toEqual({ ok: false, unsupported: ['5'] });
    expect(extractFigures('1. 提交申请\n见 [指南](https://x.gov.cn/task/123.html)')).toEqual([]);
    expect(parseChineseNumber('一百二十')).toBe(120);
    expect(parseChineseNumber('三万五千')).toBe(35000);
  });

  it('accepts figures found in the sources (anywhere in their JSON) and reports the others', () => {
    const item = { timeLimit: { promisedDays: 15 }, fees: { note: '工本费20元' } };
    const faq = { answer: '一般十个工作日内寄出' };
    expect(checkFiguresIn('十五日内办结，补领收费20元，10个工作日寄出', [item, faq])).toEqual({ ok: true, unsupported: [] });
    expect(checkFiguresIn('7个工作日办结，收费20元', [item])).toEqual({ ok: false, unsupported: ['7'] });
    expect(checkFiguresIn('办理需要3份', [item], ['我有3份材料']).ok).toBe(true);
  });
});

describe('rules', () => {
  it('detects the aspect asked and strips it from the subject', () => {
    const asked: Array<[string, ReturnType<typeof detectAspect>]> = [
      ['办居住证要带什么材料', 'materials'], ['那要多久？', 'timeLimit'], ['收费吗', 'fee'], ['where do I apply', 'where'],
      ["What's needed to close my small business?", 'materials'],
      // paying rent (提取公积金付房租) names the service, not its fee; paying for the service is a fee question
      ['Can I withdraw my housing provident fund to pay rent online?', 'online'], ['can the fund pay for my rent online', 'online'],
      ['Do I have to pay anything to get a residence permit?', 'fee'], ['how much do I pay for a passport', 'fee'],
      // paying into social insurance or the housing fund is contributing (自己交社保), not a service's fee
      ['Can I pay social insurance myself?', undefined], ['can I pay my pension contributions as a freelancer', undefined],
      ['must I pay the housing provident fund every month', undefined],
      // a change of address names the service; asking for an address, or where, is a where question
      ['公司地址变更怎么办', 'process'], ['change of address for my company', undefined], ['my address has changed, what do I do', undefined],
      ['居住地址变更在哪办', 'where'], ['what is the address of the office', 'where'], ['地址在哪', 'where'],
      // an office's hours are listed with its address
      ['周末上班吗', 'where'], ['周六能办吗', 'where'], ['几点下班', 'where'],
      // claiming a benefit is its process
      ['生育津贴怎么领', 'process'], ['高龄津贴如何申领', 'process'], ['领导签字', undefined],
    ];
    for (const [question, aspect] of asked) expect(detectAspect(question), question).toBe(aspect);
    expect(subjectOf('公司地址变更怎么办')).toBe('公司地址变更');
    expect(subjectOf('那要多久？')).toBe('');
    expect(subjectOf('居住证要什么材料')).toBe('居住证');
  });

  it('routes safety before anything else', () => {
    expect(routeIntent('着火了，居住证也烧了怎么补办')).toBe('emergency');
    expect(routeIntent('怎么办假证')).toBe('unsafe');
    expect(routeIntent('转人工')).toBe('human-request');
    expect(routeIntent('人工客服周末上班吗')).toBe('service-hours');
    // taking note or letting it go is no question to search for ("知道了" is not an FAQ about 怎么知道…)
    for (const ack of ['好的', '知道了', '嗯嗯', '不用了', '算了', 'ok', 'got it', 'never mind']) expect(routeIntent(ack), ack).toBe('acknowledge');
    expect(routeIntent('好的，居住证怎么办')).toBeUndefined();
    expect(routeIntent('你好')).toBe('greeting');
    expect(routeIntent('你好，居住证怎么办')).toBeUndefined();
  });
});
