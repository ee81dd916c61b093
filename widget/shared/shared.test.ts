import { describe, expect, it } from 'vitest';
import { chatLangOf, createI18n, dirOf, LOCALES, matchLocale, registerMessages } from './i18n.ts';
import { markdownToText, safeHref } from './markdown.ts';

describe('i18n', () => {
  it('falls back per key: locale, then English, then Chinese', () => {
    const fr = createI18n('fr');
    expect(fr.t('input.send')).toBe('Envoyer');
    expect(fr.t('answer.sources')).toBe('Sources');
    expect(createI18n('zh').t('answer.sources')).toBe('信息来源');
  });

  it('fills placeholders and leaves unknown ones', () => {
    const zh = createI18n('zh');
    expect(zh.t('handoff.queued', { position: 2, min: 3, max: 8 })).toBe('正在为您转接人工导办员，您排在第 2 位，预计等待 3–8 分钟。');
    expect(zh.t('answer.updated')).toBe('更新于 {date}');
  });

  it('knows the direction, the chat language and browser tags', () => {
    expect(dirOf('ar')).toBe('rtl');
    expect(LOCALES.filter((l) => dirOf(l) === 'rtl')).toEqual(['ar']);
    expect(chatLangOf('zh')).toBe('zh');
    expect(chatLangOf('ja')).toBe('en');
    expect(matchLocale('zh-CN')).toBe('zh');
    expect(matchLocale('en_GB')).toBe('en');
    expect(matchLocale('pt-BR')).toBeUndefined();
  });

  it('accepts a portal\'s own wording', () => {
    registerMessages('de', { 'widget.title': 'Bürgerservice' });
    expect(createI18n('de').t('widget.title')).toBe('Bürgerservice');
  });
});

describe('markdown helpers', () => {
  it('links only to web, mail and phone addresses', () => {
    expect(safeHref('https://banshi.beijing.gov.cn/x')).toBe('https://banshi.beijing.gov.cn/x');
    expect(safeHref('tel:12345')).toBe('tel:12345');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<b>x</b>')).toBeUndefined();
    expect(safeHref('/relative')).toBeUndefined();
    expect(safeHref('/relative', 'https://portal.example/')).toBe('https://portal.example/relative');
  });

  it('strips markdown for subtitles and notifications', () => {
    expect(markdownToText('**居住证**：\n- 身份证\n[查看](https://x.test)')).toBe('居住证：\n身份证\n查看');
  });
});
