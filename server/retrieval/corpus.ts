/**
 * One tokenisation pass over the documents, shared by the lexical index and the LSA embedder:
 * jieba is the dominant build cost, so every field is analysed exactly once. Terms are interned to
 * integer ids and kept in flat arrays (not per-document maps), which keeps a 15k-item build small.
 */
import { FIELDS, type SearchDocument } from './documents.ts';
import { cjkBigrams } from './lsa-embeddings.ts';

export interface Corpus {
  docCount: number;
  /** Term strings by id: analyzer terms and tagged character bigrams ("b:居住"). */
  terms: string[];
  /** Which term ids are analyzer terms (1) rather than bigrams (0): only those go in the lexical index. */
  isWord: Uint8Array;
  /** Field postings, grouped by document: term id, document, and one count per field. */
  postTerm: Uint32Array;
  postDoc: Uint32Array;
  postFieldCounts: Uint16Array;
  /** Tokens per (document, field), row-major (docCount × FIELDS.length). */
  fieldLengths: Float64Array;
  /** Per-document bag of all terms and bigrams (CSR rows), for the embedder. */
  bagPtr: Uint32Array;
  bagTerm: Uint32Array;
  bagCount: Uint16Array;
}

class Growable {
  private buf: Uint32Array;
  length = 0;
  constructor(initial = 1 << 16) {
    this.buf = new Uint32Array(initial);
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  toArray(): Uint32Array {
    return this.buf.slice(0, this.length);
  }
}

export function buildCorpus(
  documents: readonly SearchDocument[],
  termsOf: (text: string) => string[],
  normalizeForBigrams: (text: string) => string,
): Corpus {
  const nf = FIELDS.length;
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const isWord: number[] = [];
  const intern = (t: string, word: boolean): number => {
    let id = ids.get(t);
    if (id === undefined) {
      id = terms.length;
      ids.set(t, id);
      terms.push(t);
      isWord.push(word ? 1 : 0);
    }
    return id;
  };
  const postTerm = new Growable();
  const postDoc = new Growable();
  const postCounts = new Growable();
  const fieldLengths = new Float64Array(documents.length * nf);
  const bagPtr = new Uint32Array(documents.length + 1);
  const bagTerm = new Growable();
  const bagCount = new Growable();

  documents.forEach((doc, d) => {
    const fieldCounts = new Map<number, Uint16Array>();
    const bag = new Map<number, number>();
    FIELDS.forEach((field, f) => {
      const text = doc.fields[field];
      if (!text) return;
      const tokens = termsOf(text);
      fieldLengths[d * nf + f] = tokens.length;
      for (const t of tokens) {
        const id = intern(t, true);
        let counts = fieldCounts.get(id);
        if (!counts) fieldCounts.set(id, (counts = new Uint16Array(nf)));
        if (counts[f]! < 65535) counts[f]! += 1;
        bag.set(id, (bag.get(id) ?? 0) + 1);
      }
      for (const b of cjkBigrams(normalizeForBigrams(text))) {
        const id = intern(b, false);
        bag.set(id, (bag.get(id) ?? 0) + 1);
      }
    });
    for (const [id, counts] of fieldCounts) {
      postTerm.push(id);
      postDoc.push(d);
      for (let f = 0; f < nf; f++) postCounts.push(counts[f]!);
    }
    bagPtr[d] = bagTerm.length;
    for (const [id, count] of bag) {
      bagTerm.push(id);
      bagCount.push(Math.min(count, 65535));
    }
  });
  bagPtr[documents.length] = bagTerm.length;
  return {
    docCount: documents.length,
    terms,
    isWord: Uint8Array.from(isWord),
    postTerm: postTerm.toArray(),
    postDoc: postDoc.toArray(),
    postFieldCounts: Uint16Array.from(postCounts.toArray()),
    fieldLengths,
    bagPtr,
    bagTerm: bagTerm.toArray(),
    bagCount: Uint16Array.from(bagCount.toArray()),
  };
}
