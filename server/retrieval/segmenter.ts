/**
 * The process-wide jieba segmenter. Loading nodejieba's dictionaries costs ~0.5 s and ~110 MiB (see
 * jieba-load.ts), so it happens once per process, on first use; every capability that segments Chinese
 * (retrieval, the assistant) reuses it.
 */
import path from 'node:path';
import jieba from 'nodejieba';
import { PROJECT_ROOT } from '../config/config.ts';
import { loadJieba, type JiebaLoadMode } from './jieba-load.ts';

/**
 * nodejieba also loads a keyword extractor's IDF table (~260k words, ~20 MiB resident, ~0.4 s) that
 * segmentation never reads; a one-word table stands in for it.
 */
const UNUSED_IDF = path.join(PROJECT_ROOT, 'server', 'retrieval', 'jieba-idf.utf8');

export interface Segmenter {
  /** Precise mode: one segmentation of the sentence. */
  cut(text: string): string[];
  /** Search mode: precise mode plus the sub-words of long words (营业执照 → 营业, 执照, 营业执照). */
  cutForSearch(text: string): string[];
  /** The nouns of the sentence (part-of-speech tags n*, and abbreviations j), in order: 护士执业证书怎么注册 → 护士, 执业, 证书. */
  nouns(text: string): string[];
  /** Adds words the segmenter must keep whole; idempotent, words accumulate for the process's lifetime. */
  addWords(words: Iterable<string>): number;
  /** Milliseconds the dictionaries took to load (0 until the first call). */
  readonly loadMs: number;
  /** How the dictionaries were loaded (undefined until the first call). */
  readonly loadMode: JiebaLoadMode | undefined;
}

/**
 * Search-mode cuts of short texts are remembered: answering one question segments the same names and synonyms
 * (居住证, 暂住证, ...) dozens of times, and the same ones again for the next question. Documents (long texts)
 * are segmented once at index build and are not kept.
 */
const MEMO_MAX_CHARS = 64;
const MEMO_MAX_ENTRIES = 8192;

class JiebaSegmenter implements Segmenter {
  loadMs = 0;
  loadMode: JiebaLoadMode | undefined;
  private readonly inserted = new Set<string>();
  private readonly searchCuts = new Map<string, readonly string[]>();

  private ensureLoaded(): void {
    if (this.loadMode) return;
    const t0 = performance.now();
    this.loadMode = loadJieba({ idfDict: UNUSED_IDF });
    this.loadMs = performance.now() - t0;
  }

  cut(text: string): string[] {
    this.ensureLoaded();
    return jieba.cut(text);
  }

  cutForSearch(text: string): string[] {
    if (text.length > MEMO_MAX_CHARS) {
      this.ensureLoaded();
      return jieba.cutForSearch(text);
    }
    let words = this.searchCuts.get(text);
    if (!words) {
      this.ensureLoaded();
      words = jieba.cutForSearch(text);
      if (this.searchCuts.size >= MEMO_MAX_ENTRIES) this.searchCuts.clear();
      this.searchCuts.set(text, words);
    }
    return [...words];
  }

  nouns(text: string): string[] {
    this.ensureLoaded();
    return jieba.tag(text).filter((t) => t.tag.startsWith('n') || t.tag === 'j').map((t) => t.word);
  }

  addWords(words: Iterable<string>): number {
    this.ensureLoaded();
    let added = 0;
    for (const word of words) {
      if (!word || this.inserted.has(word) || /\s/.test(word)) continue;
      jieba.insertWord(word);
      this.inserted.add(word);
      added++;
    }
    // a new word can change how remembered texts are cut
    if (added) this.searchCuts.clear();
    return added;
  }
}

let instance: JiebaSegmenter | undefined;

export function getSegmenter(): Segmenter {
  instance ??= new JiebaSegmenter();
  return instance;
}
