import { describe, expect, it } from 'vitest';
import { normalizeEn } from './english.ts';
import { normalizeZh } from './normalize-zh.ts';
import { readDigits, readInteger } from './numbers-zh.ts';
import { plainText } from './plain-text.ts';

describe('readInteger', () => {
  it.each([
    [0, '零'], [7, '七'], [10, '十'], [15, '十五'], [20, '二十'], [105, '一百零五'], [110, '一百一十'], [115, '一百一十五'],
    [1500, '一千五百'], [2000, '两千'], [1005, '一千零五'], [10_000, '一万'], [10_005, '一万零五'], [20_008, '两万零八'],
    [100_000, '十万'], [120_000, '十二万'], [1_0000_0000, '一亿'], [3_0500_0000, '三亿零五百万'],
  ])('%i → %s', (n, s) => {
    expect(readInteger(n)).toBe(s);
  });
});

describe('readDigits', () => {
  it('reads digit by digit, 幺 for 1 only in phone numbers, X as 叉', () => {
    expect(readDigits('2026')).toBe('二零二六');
    expect(readDigits('110', { phone: true })).toBe('幺幺零');
    expect(readDigits('11010119900307123X')).toBe('一一零一零一一九九零零三零七一二三叉');
  });
});

describe('normalizeZh', () => {
  it('reads years digit by digit and months and days as numbers', () => {
    expect(normalizeZh('2026年3月15日起施行')).toBe('二零二六年三月十五日起施行');
    expect(normalizeZh('更新于2025-09-01')).toBe('更新于二零二五年九月一日');
    expect(normalizeZh('2月')).toBe('二月');
  });

  it('reads counts as quantities, 2 before a measure word as 两', () => {
    expect(normalizeZh('15个工作日')).toBe('十五个工作日');
    expect(normalizeZh('原件2份')).toBe('原件两份');
    expect(normalizeZh('12个月')).toBe('十二个月');
    expect(normalizeZh('满6个月')).toBe('满六个月');
  });

  it('reads phone numbers digit by digit with 幺', () => {
    expect(normalizeZh('请拨打12345热线')).toBe('请拨打幺二三四五热线');
    expect(normalizeZh('咨询电话：010-12345678')).toBe('咨询电话：零幺零幺二三四五六七八');
    expect(normalizeZh('手机13912345678')).toBe('手机幺三九幺二三四五六七八');
  });

  it('reads ID numbers and reference numbers digit by digit with 一', () => {
    expect(normalizeZh('身份证号110101199003071234')).toBe('身份证号一一零一零一一九九零零三零七一二三四');
    expect(normalizeZh('参考号 2026110')).toBe('参考号 二零二六一一零');
  });

  it('reads amounts in 元 the way they are said', () => {
    expect(normalizeZh('工本费20元')).toBe('工本费二十元');
    expect(normalizeZh('收费¥1,500.50')).toBe('收费一千五百元五角');
    expect(normalizeZh('￥3.05元')).toBe('三元零五分');
    expect(normalizeZh('2元')).toBe('两元');
  });

  it('reads times, percentages and decimals', () => {
    expect(normalizeZh('9:00-17:00')).toBe('九点至十七点');
    expect(normalizeZh('12:30')).toBe('十二点三十分');
    expect(normalizeZh('报销比例90%')).toBe('报销比例百分之九十');
    expect(normalizeZh('3.5')).toBe('三点五');
  });

  it('leaves text without numbers alone', () => {
    expect(normalizeZh('居住证首次申领')).toBe('居住证首次申领');
  });
});

describe('normalizeEn', () => {
  it('reads numbers as words and phone numbers digit by digit', () => {
    expect(normalizeEn('Bring 2 photos within 15 days')).toBe('Bring two photos within fifteen days');
    expect(normalizeEn('Call 12345')).toBe('Call one two three four five');
    expect(normalizeEn('Fee: ¥1500')).toBe('Fee: one thousand five hundred yuan');
    expect(normalizeEn('010-12345678')).toBe('zero one zero one two three four five six seven eight');
  });
});

describe('plainText', () => {
  it('drops the light markdown: links keep their text, URLs and list markers go', () => {
    expect(plainText('需要：\n- **身份证**\n- 照片\n[查看清单](https://x.test/c/1) https://y.test')).toBe('需要：\n身份证\n照片\n查看清单');
  });
});
