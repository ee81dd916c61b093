import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jieba from 'nodejieba';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.ts';
import { JIEBA_DICT, loadJieba } from './jieba-load.ts';

const IDF = path.join(PROJECT_ROOT, 'server', 'retrieval', 'jieba-idf.utf8');

/** Every sentence of the sample knowledge base's item files: real text, with the words the service cuts. */
function sampleSentences(): string[] {
  const dir = path.join(PROJECT_ROOT, 'knowledge-base', 'items');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
  return files
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split(/[\n。；]/))
    .map((line) => line.replace(/^[\s\-:a-zA-Z_]+/, '').trim())
    .filter((line) => /[\u4e00-\u9fff]/.test(line));
}

function leftoverDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('daoban-jieba-'));
}

describe('loadJieba', () => {
  const originalPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = originalPath;
  });

  it('loads one dictionary trie that cuts every sentence exactly as nodejieba’s own load does, and leaves no files', () => {
    const sentences = sampleSentences();
    expect(sentences.length).toBeGreaterThan(500);
    jieba.load({ idfDict: IDF });
    const plain = sentences.map((s) => [jieba.cut(s), jieba.cutForSearch(s)]);

    const before = leftoverDirs();
    expect(loadJieba({ idfDict: IDF })).toBe('single-trie');
    expect(sentences.map((s) => [jieba.cut(s), jieba.cutForSearch(s)])).toEqual(plain);
    expect(leftoverDirs()).toEqual(before);
  });

  it('loads the dictionary it is given', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jieba-load-test-'));
    try {
      const dict = path.join(dir, 'dict.utf8');
      fs.writeFileSync(dict, `${fs.readFileSync(JIEBA_DICT, 'utf8')}蓝鲸踏浪 100000 n\n`);
      expect(jieba.cut('申请蓝鲸踏浪证明')).not.toContain('蓝鲸踏浪');
      expect(loadJieba({ idfDict: IDF, dict })).toBe('single-trie');
      expect(jieba.cut('申请蓝鲸踏浪证明')).toContain('蓝鲸踏浪');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to nodejieba’s own load where no named pipe can be made', () => {
    process.env.PATH = '';
    const before = leftoverDirs();
    expect(loadJieba({ idfDict: IDF })).toBe('plain');
    expect(jieba.cut('营业执照怎么注册')).toEqual(['营业执照', '怎么', '注册']);
    expect(leftoverDirs()).toEqual(before);
  });
});
