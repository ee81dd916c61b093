/**
 * The offline default embedder: latent semantic analysis learned from the knowledge base itself, so no
 * model weights are needed. Text becomes a sublinear TF-IDF vector over analyzer terms (jieba words,
 * synonym canonicals, stemmed English) plus Chinese character bigrams; a truncated SVD of the document
 * matrix gives a low-dimensional space where terms that co-occur (暂住证 and 居住证, 落户 and 户口) land
 * close together. Implements LangChain's `Embeddings`, so the vector store does not know the difference.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import type { Corpus } from './corpus.ts';
import { truncatedSvd, type CsrMatrix } from './svd.ts';
import { readAligned, readArrays, writeArrays } from './typed-files.ts';
import type { VectorRows } from './vector-index.ts';

/** A query as the LSA model reads it: its analyzer terms, and the normalised text its character bigrams come from. */
export interface LsaQuery {
  terms: string[];
  bigramText: string;
}

/** How a text is read for the model (embedders.ts: lsaQueryOf). */
export type LsaReader = (text: string) => LsaQuery;

export interface LsaOptions {
  dimensions: number;
  /** Keep at most this many terms (the most frequent by document frequency). */
  maxVocabulary: number;
  /** Ignore terms in fewer documents than this (only applied to large collections). */
  minDocFrequency: number;
  powerIterations: number;
  /** The SVD is fitted on at most this many documents (an even sample); every document is then projected. */
  maxFitDocuments: number;
}

export const DEFAULT_LSA: LsaOptions = { dimensions: 128, maxVocabulary: 60_000, minDocFrequency: 2, powerIterations: 1, maxFitDocuments: 20_000 };

/** What a fitted model needs to embed new text; persisted with the index. */
export interface LsaState {
  dimensions: number;
  terms: string[];
  idf: Float32Array;
  /** (terms × dimensions), row-major: each term's latent vector, already scaled for projection. */
  projection: Float32Array;
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Characters of function words (怎么, 什么, 可以, 了, 吗 ...): a bigram containing one carries no topic and
 * would make every question look alike.
 */
const STOP_CHARS = new Set('的了吗呢啊吧呀嘛么怎什哪我你您他她它是在和与及或要想能可以请问个这那就都也还又再会得地把被给让为对从到向于着过吧'.split(''));

/** Character bigrams of the Chinese runs of a text, tagged so they never collide with words. */
export function cjkBigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\u3400-\u9fff]+/g) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) {
      const a = run[i]!;
      const b = run[i + 1]!;
      if (!STOP_CHARS.has(a) && !STOP_CHARS.has(b)) out.push(`b:${a}${b}`);
    }
  }
  return out;
}

export class LsaEmbeddings extends Embeddings {
  private readonly termIds: Map<string, number>;

  constructor(
    readonly state: LsaState,
    private readonly read: LsaReader,
  ) {
    super({});
    this.termIds = new Map(state.terms.map((t, i) => [t, i]));
  }

  get dimensions(): number {
    return this.state.dimensions;
  }

  /**
   * Learns the latent space from the corpus bags and returns the embedder with the documents' vectors
   * (identical to `embedDocuments` of their texts, without segmenting them a second time).
   */
  static fit(
    corpus: Corpus,
    read: LsaReader,
    options: LsaOptions = DEFAULT_LSA,
  ): { embeddings: LsaEmbeddings; vectors: VectorRows } {
    const n = corpus.docCount;
    const { bagPtr, bagTerm, bagCount } = corpus;
    const df = new Uint32Array(corpus.terms.length);
    for (let p = 0; p < bagTerm.length; p++) df[bagTerm[p]!]! += 1;
    const minDf = n >= 1000 ? options.minDocFrequency : 1;
    const candidates: number[] = [];
    for (let t = 0; t < df.length; t++) if (df[t]! >= minDf) candidates.push(t);
    candidates.sort((a, b) => df[b]! - df[a]! || a - b);
    const kept = candidates.slice(0, options.maxVocabulary);
    const remap = new Int32Array(corpus.terms.length).fill(-1);
    kept.forEach((t, i) => (remap[t] = i));
    const terms = kept.map((t) => corpus.terms[t]!);
    const idf = Float32Array.from(kept, (t) => Math.log((1 + n) / (1 + df[t]!)) + 1);

    // Rows: L2-normalised sublinear TF-IDF document vectors, in typed arrays sized by the bags (an upper
    // bound of the non-zeros), each row weighed in double precision before it is stored.
    const rowPtr = new Uint32Array(n + 1);
    const colBuf = new Uint32Array(bagTerm.length);
    const valBuf = new Float32Array(bagTerm.length);
    let nnz = 0;
    let row = new Float64Array(64);
    for (let r = 0; r < n; r++) {
      rowPtr[r] = nnz;
      const start = nnz;
      if (row.length < bagPtr[r + 1]! - bagPtr[r]!) row = new Float64Array(bagPtr[r + 1]! - bagPtr[r]!);
      let norm = 0;
      for (let p = bagPtr[r]!; p < bagPtr[r + 1]!; p++) {
        const id = remap[bagTerm[p]!]!;
        if (id < 0) continue;
        const w = (1 + Math.log(bagCount[p]!)) * idf[id]!;
        colBuf[nnz] = id;
        row[nnz - start] = w;
        nnz++;
        norm += w * w;
      }
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let i = start; i < nnz; i++) valBuf[i] = row[i - start]! * inv;
    }
    rowPtr[n] = nnz;
    const matrix: CsrMatrix = { rows: n, cols: terms.length, rowPtr, colIdx: colBuf.slice(0, nnz), values: valBuf.slice(0, nnz) };
    const svd = truncatedSvd(sampleRows(matrix, options.maxFitDocuments), options.dimensions, { powerIterations: options.powerIterations });
    // Output dimension is fixed by the options; a tiny collection leaves the trailing dimensions zero.
    const dims = options.dimensions;
    const projection = new Float32Array(terms.length * dims);
    for (let t = 0; t < terms.length; t++) {
      for (let r = 0; r < svd.rank; r++) projection[t * dims + r] = svd.components[t * svd.rank + r]!;
    }
    const embeddings = new LsaEmbeddings({ dimensions: dims, terms, idf, projection }, read);
    const data = new Float32Array(n * dims);
    const acc = new Float64Array(dims);
    for (let r = 0; r < n; r++) {
      acc.fill(0);
      for (let p = rowPtr[r]!; p < rowPtr[r + 1]!; p++) {
        const w = matrix.values[p]!;
        const o = matrix.colIdx[p]! * dims;
        for (let j = 0; j < dims; j++) acc[j]! += w * projection[o + j]!;
      }
      data.set(unit(acc), r * dims);
    }
    const vectors: VectorRows = { count: n, dims, data };
    return { embeddings, vectors };
  }

  /** The latent vector of one text: its TF-IDF vector projected on the singular vectors, L2-normalised. */
  embed(text: string): number[] {
    return unit(this.project(this.read(text)));
  }

  /**
   * The latent vector of a query already read (the embedder's reader), or undefined when it has no term the model knows:
   * what `embedQuery` computes, for a search thread that holds the model but not the segmenter.
   */
  queryVector(query: LsaQuery): number[] | undefined {
    const v = this.project(query);
    return v.some((x) => x !== 0) ? unit(v) : undefined;
  }

  private project({ terms, bigramText }: LsaQuery): Float64Array {
    const { dimensions: dims, idf, projection } = this.state;
    const out = new Float64Array(dims);
    for (const [term, count] of termCounts(terms, bigramText)) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const w = (1 + Math.log(count)) * idf[id]!;
      const o = id * dims;
      for (let j = 0; j < dims; j++) out[j]! += w * projection[o + j]!;
    }
    return out;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  /** A query with no known term embeds to the zero vector (documents never do: see `unit`). */
  async embedQuery(document: string): Promise<number[]> {
    const vec = this.embed(document);
    return vec.every((x) => x === vec[0]) ? vec.fill(0) : vec;
  }
}

function termCounts(tokens: readonly string[], normalized: string): Map<string, number> {
  const bag = new Map<string, number>();
  for (const t of tokens) bag.set(t, (bag.get(t) ?? 0) + 1);
  if (CJK.test(normalized)) for (const b of cjkBigrams(normalized)) bag.set(b, (bag.get(b) ?? 0) + 1);
  return bag;
}

/** L2-normalised copy; a zero vector (a text with no known term) becomes a tiny constant vector, valid for cosine. */
function unit(v: Float64Array): number[] {
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += v[j]! * v[j]!;
  if (norm === 0) return new Array<number>(v.length).fill(1e-3 / Math.sqrt(v.length));
  const inv = 1 / Math.sqrt(norm);
  return Array.from(v, (x) => x * inv);
}

/** An even sample of at most `max` rows (all rows when there are fewer). */
function sampleRows(m: CsrMatrix, max: number): CsrMatrix {
  if (m.rows <= max) return m;
  const step = m.rows / max;
  const picked = Array.from({ length: max }, (_, i) => Math.floor(i * step));
  const rowPtr = new Uint32Array(max + 1);
  let nnz = 0;
  picked.forEach((r, i) => {
    rowPtr[i] = nnz;
    nnz += m.rowPtr[r + 1]! - m.rowPtr[r]!;
  });
  rowPtr[max] = nnz;
  const colIdx = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  picked.forEach((r, i) => {
    colIdx.set(m.colIdx.subarray(m.rowPtr[r]!, m.rowPtr[r + 1]!), rowPtr[i]!);
    values.set(m.values.subarray(m.rowPtr[r]!, m.rowPtr[r + 1]!), rowPtr[i]!);
  });
  return { rows: max, cols: m.cols, rowPtr, colIdx, values };
}

/** Writes a fitted model beside the index (lsa.json: dimensions and terms; lsa.bin: idf and projection). */
export async function saveLsaState(state: LsaState, directory: string): Promise<void> {
  await fs.writeFile(path.join(directory, 'lsa.json'), JSON.stringify({ dimensions: state.dimensions, terms: state.terms }));
  await writeArrays(path.join(directory, 'lsa.bin'), [state.idf, state.projection]);
}

/** Reads a model `saveLsaState` wrote. */
export async function loadLsaState(directory: string): Promise<LsaState> {
  const [json, buf] = await Promise.all([fs.readFile(path.join(directory, 'lsa.json'), 'utf8'), readAligned(path.join(directory, 'lsa.bin'))]);
  const meta = JSON.parse(json) as { dimensions: number; terms: string[] };
  const v = meta.terms.length;
  const [idf, projection] = readArrays(buf, [
    ['f32', v],
    ['f32', v * meta.dimensions],
  ]) as [Float32Array, Float32Array];
  return { dimensions: meta.dimensions, terms: meta.terms, idf, projection };
}
