/**
 * Coverage of a question by a text, over the real retriever (jieba analyzer and the KB's synonym groups) built on
 * the fixture KB: the question's content words, whether a text speaks of one (as written or as a synonym), and the
 * words an FAQ leaves out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { buildRetriever, type BuiltRetriever } from '../retrieval/index.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { contentWords, speaksOfWord, topicNoun, uncoveredByFaq } from './coverage.ts';

let kb: KnowledgeBase;
let retriever: BuiltRetriever;
let cacheDir: string;

beforeAll(async () => {
  const base = await loadFixtureKb();
  // the fixture KB with one synonym group, so a word can be spoken of by its synonym only
  kb = { ...base, synonyms: [...base.synonyms, ['遗失', '弄丢', '丢失']] };
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-coverage-'));
  retriever = await buildRetriever(kb, { cacheDir });
}, 60_000);
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

const item = (id: string) => kb.itemsById.get(id)!;

describe('contentWords', () => {
  it('keeps the words a question turns on, not its fillers, aspect words or action words', () => {
    const words = contentWords(retriever, '港澳台居民的居住证补领要多少钱');
    expect(words).toContain('港澳台');
    expect(words).toContain('居住证');
    // 补领 is an action word (left to the action classes), 多少钱 an aspect, 的/要 fillers
    expect(words).not.toContain('补领');
    expect(words.some((w) => /多少|钱|的|要/.test(w) && w.length < 2)).toBe(false);
    for (const w of words) expect(w).toMatch(/^([\u3400-\u9fff]{2,}|[a-z][a-z'-]{2,})$/);
  });

  it('reads Latin words of three letters or more, lower case', () => {
    const words = contentWords(retriever, 'Hong Kong residents need a permit?');
    expect(words.every((w) => w === w.toLowerCase())).toBe(true);
    expect(words.some((w) => w.startsWith('kong') || w.startsWith('resid'))).toBe(true);
    expect(words).not.toContain('a');
  });

  it('has none in a question of fillers only', () => {
    expect(contentWords(retriever, '怎么办呢')).toEqual([]);
  });
});

describe('speaksOfWord', () => {
  it('finds a word as written, case-insensitively for Latin words', () => {
    expect(speaksOfWord(retriever, '居住证', '北京市居住证补领')).toBe(true);
    expect(speaksOfWord(retriever, 'permit', 'lost residence permit')).toBe(true);
    expect(speaksOfWord(retriever, '港澳台', '北京市居住证补领')).toBe(false);
  });

  it('finds a word through one of its synonyms in the retriever analyzer', () => {
    // the text says 遗失 only; the question's 弄丢 is its synonym
    expect(speaksOfWord(retriever, '弄丢', '居住证遗失后如何补领')).toBe(true);
    expect(speaksOfWord(retriever, '丢失', '居住证遗失后如何补领')).toBe(true);
    // a word with no synonym group is not stretched to a look-alike
    expect(speaksOfWord(retriever, '吊销', '居住证遗失后如何补领')).toBe(false);
  });
});

describe('uncoveredByFaq', () => {
  it('is empty when the FAQ speaks of every content word of the question', () => {
    expect(uncoveredByFaq(retriever, '居住证丢了怎么办', ['居住证丢了或者坏了怎么办？'], [item('residence-permit-reissue')])).toEqual([]);
  });

  it('names the word the FAQ leaves out', () => {
    const left = uncoveredByFaq(retriever, '港澳台居民居住证丢了怎么办', ['居住证丢了或者坏了怎么办？'], [item('residence-permit-reissue')]);
    expect(left).toContain('港澳台');
    expect(left).not.toContain('居住证');
  });

  it('counts a word covered when the FAQ says its synonym or one of the FAQ\'s services names it', () => {
    expect(uncoveredByFaq(retriever, '居住证弄丢了怎么补', ['居住证遗失了怎么补？'], [])).not.toContain('弄丢');
    // 暂住证 is not in the FAQ text but an alias of the first application
    const q = '暂住证还能用吗';
    expect(uncoveredByFaq(retriever, q, ['北京居住证有什么用？'], [])).toContain('暂住证');
    expect(uncoveredByFaq(retriever, q, ['北京居住证有什么用？'], [item('residence-permit-first')])).not.toContain('暂住证');
  });
});

describe('topicNoun', () => {
  const nouns = (...texts: string[]) => texts.map((text) => ({ text, known: true }));
  it('is the noun the subject opens with, after a leading 我/我家', () => {
    expect(topicNoun('护士执业证书 注册', nouns('护士', '执业', '证书'))?.text).toBe('护士');
    expect(topicNoun('我家的户口本丢', nouns('户口本'))?.text).toBe('户口本');
  });

  it('is none when the subject opens with something else (an unknown noun further on is a detail)', () => {
    expect(topicNoun('要离开北京 北京交 养老保险 退', nouns('北京', '养老保险'))).toBeUndefined();
    expect(topicNoun('爸妈想把户口迁到北京投靠 多大岁数', nouns('岁数'))).toBeUndefined();
  });
});
