/**
 * The analyzer turns text into index terms: normalisation, jieba segmentation (search mode) for Chinese,
 * light stemming for English, stop-word removal, and synonym canonicalisation. Documents and queries go
 * through the same path, so a synonym group's canonical term is indexed for every variant a document uses
 * and added to every query that uses a variant.
 */
import crypto from 'node:crypto';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { AnalyzedQuery } from './types.ts';
import { normalizeText, TYPO_TABLE } from './normalize.ts';
import { getSegmenter, type Segmenter } from './segmenter.ts';

const ZH_STOP = new Set(
  ('的 了 吗 呢 啊 吧 呀 嘛 哦 么 着 过 和 与 及 或 跟 在 是 有 没 没有 我 我们 你 您 他 她 它 他们 这 那 这个 那个 这些 那些 ' +
    '个 一下 一个 请问 请 想 想要 要 需要 能 能不能 可以 可不可以 怎么 怎么办 怎样 怎么样 如何 什么 啥 哪 哪里 哪儿 哪些 多少 几 ' +
    '吗 还 还是 就 都 也 又 再 会 应该 得 地 把 被 给 让 为 为了 对 从 到 向 于 上 下 里 中 时 时候 的话 问 一 下 呀 嗯 谢谢 你好 麻烦')
    .split(' '),
);

const EN_STOP = new Set(
  ('a an the of for to in on at by with and or is are was were be been do does did i my me we our you your it its ' +
    'how what where when which who can could should would will shall need needs want get this that these those there ' +
    'please from as about if')
    .split(' '),
);

/**
 * American and British spellings of the same words; the knowledge base's English writes both (center, centre) and
 * mostly the British (licence, enrolment). A query is scored with the other spelling too, so "driver's license"
 * finds "driving licence"; documents are indexed as written.
 */
const SPELLINGS: ReadonlyArray<readonly [string, string]> = [
  ['license', 'licence'], ['center', 'centre'], ['enroll', 'enrol'], ['enrollment', 'enrolment'], ['program', 'programme'],
  ['labor', 'labour'], ['organization', 'organisation'], ['organize', 'organise'], ['catalog', 'catalogue'],
  ['fulfill', 'fulfil'], ['defense', 'defence'], ['favor', 'favour'], ['neighbor', 'neighbour'],
  ['neighborhood', 'neighbourhood'], ['honor', 'honour'], ['traveling', 'travelling'], ['traveled', 'travelled'],
  ['canceled', 'cancelled'], ['canceling', 'cancelling'], ['color', 'colour'],
];

/** Stemmed English term → the other spelling's stemmed term. */
const OTHER_SPELLING: ReadonlyMap<string, string> = new Map(
  SPELLINGS.flatMap(([us, gb]) => [[stemEnglish(us), stemEnglish(gb)], [stemEnglish(gb), stemEnglish(us)]] as const),
);

/** A term in both spellings when it has two ("licence" → licence, license), else itself. */
export function spellings(term: string): string[] {
  const other = OTHER_SPELLING.get(term);
  return other ? [term, other] : [term];
}

/**
 * A fingerprint of the analyzer's rules that are data (typo table, stop words): part of the index cache key, so
 * an index built under other rules is not loaded. Changes to the analyzer's code bump INDEX_FORMAT instead.
 */
export function analyzerRulesFingerprint(
  typos: ReadonlyArray<readonly [string, string]> = TYPO_TABLE,
  zhStop: Iterable<string> = ZH_STOP,
  enStop: Iterable<string> = EN_STOP,
): string {
  return crypto.createHash('sha256').update(JSON.stringify([typos, [...zhStop], [...enStop]])).digest('hex').slice(0, 8);
}

/** Light English stemming: plurals and the commonest verb endings. */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Splits normalised text into ASCII runs (English words, numbers) and everything else (Chinese). */
const RUNS = /[a-z0-9]+|[^a-z0-9 ]+/g;

export interface AnalyzerSnapshot {
  synonyms: string[][];
  words: string[];
}

export class Analyzer {
  /** Variant (normalised) → index of its synonym group. */
  private readonly groupOf = new Map<string, number>();
  private readonly groups: string[][];
  /** Multi-word terms (English phrases) matched on the normalised text rather than on tokens. */
  private readonly phrases: Array<{ phrase: string; group: number }> = [];

  constructor(
    readonly segmenter: Segmenter,
    synonyms: readonly (readonly string[])[],
    userWords: readonly string[],
  ) {
    this.groups = synonyms.map((g) => [...new Set(g.map((t) => normalizeText(t)).filter(Boolean))]);
    this.groups.forEach((group, gi) => {
      for (const term of group) {
        if (!this.groupOf.has(term)) this.groupOf.set(term, gi);
        if (term.includes(' ')) this.phrases.push({ phrase: term, group: gi });
      }
    });
    const words = new Set<string>();
    for (const w of userWords) words.add(normalizeText(w, { traditional: false }));
    for (const g of this.groups) for (const t of g) if (!/^[a-z0-9 ]+$/.test(t)) words.add(t);
    segmenter.addWords(words);
  }

  static fromKnowledgeBase(kb: KnowledgeBase, segmenter: Segmenter = getSegmenter()): Analyzer {
    return new Analyzer(segmenter, kb.synonyms, kb.userDict.map((e) => e.word));
  }

  /** Tokens of already normalised text: jieba search-mode words and stemmed English, stop words removed. */
  tokenize(normalized: string): string[] {
    const out: string[] = [];
    for (const run of normalized.match(RUNS) ?? []) {
      const c = run.charCodeAt(0);
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (!EN_STOP.has(run)) out.push(stemEnglish(run));
        continue;
      }
      for (const w of this.segmenter.cutForSearch(run)) {
        const t = w.trim();
        if (t && !ZH_STOP.has(t)) out.push(t);
      }
    }
    return out;
  }

  /** Synonym groups touched by the tokens or the phrases of the normalised text. */
  private groupsIn(normalized: string, tokens: readonly string[]): Set<number> {
    const found = new Set<number>();
    for (const t of tokens) {
      const g = this.groupOf.get(t);
      if (g !== undefined) found.add(g);
    }
    for (const p of this.phrases) if (normalized.includes(p.phrase)) found.add(p.group);
    return found;
  }

  /** Canonical term (as its own tokens when it is an English phrase) of each group. */
  private canonicalTerms(group: number): string[] {
    const canonical = this.groups[group]![0]!;
    return canonical.includes(' ') ? this.tokenize(canonical) : [canonical];
  }

  /** Index terms of a document field: tokens plus the canonical term of every synonym variant used. */
  termsForIndex(text: string): string[] {
    return this.termsForNormalized(normalizeText(text, { traditional: false }));
  }

  /** `termsForIndex` of text already normalised (without the traditional→simplified step). */
  termsForNormalized(normalized: string): string[] {
    const tokens = this.tokenize(normalized);
    for (const g of this.groupsIn(normalized, tokens)) {
      for (const c of this.canonicalTerms(g)) if (!tokens.includes(c)) tokens.push(c);
    }
    return tokens;
  }

  analyze(query: string): AnalyzedQuery {
    const normalized = normalizeText(query);
    const tokens = this.tokenize(normalized);
    const have = new Set(tokens);
    const expansions: string[] = [];
    for (const t of tokens) {
      const other = OTHER_SPELLING.get(t);
      if (other && !have.has(other)) {
        have.add(other);
        expansions.push(other);
      }
    }
    for (const g of this.groupsIn(normalized, tokens)) {
      for (const term of this.groups[g]!) {
        if (!have.has(term)) {
          have.add(term);
          expansions.push(term);
        }
      }
    }
    return { original: query, normalized, tokens, expansions };
  }

  /** The terms a query is scored with: its tokens (in either spelling) and the canonical term of each synonym group it touches. */
  queryTerms(analyzed: AnalyzedQuery): string[] {
    const terms = new Set(analyzed.tokens);
    for (const t of analyzed.tokens) {
      const other = OTHER_SPELLING.get(t);
      if (other) terms.add(other);
    }
    for (const g of this.groupsIn(analyzed.normalized, analyzed.tokens)) for (const c of this.canonicalTerms(g)) terms.add(c);
    return [...terms];
  }
}
