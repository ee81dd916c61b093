/**
 * Document vectors kept beside the HNSW graph for one job: the cosine of a query with a document the vector leg
 * did not rank (fusion scores every candidate on both legs). Each row is stored as 8-bit codes and one scale
 * (the row's largest magnitude / 127): a quarter of the float rows (15k items: 68k rows × 128 dims, 35 → 9 MB),
 * and a cosine off by at most ~0.01, well inside what separates fused candidates. The graph's own search is
 * exact; only these fill-in scores are approximate.
 */
import fs from 'node:fs/promises';

export class QuantizedRows {
  private constructor(
    readonly dims: number,
    /** Per row, the value one code step stands for. */
    readonly scales: Float32Array,
    /** Row-major codes, count × dims. */
    readonly codes: Int8Array,
    /** Per row, the length of the decoded vector. */
    private readonly norms: Float32Array,
  ) {}

  get count(): number {
    return this.scales.length;
  }

  static fromFloat(rows: Float32Array, dims: number): QuantizedRows {
    const count = dims > 0 ? Math.floor(rows.length / dims) : 0;
    const scales = new Float32Array(count);
    const codes = new Int8Array(count * dims);
    for (let r = 0; r < count; r++) {
      const base = r * dims;
      let max = 0;
      for (let i = 0; i < dims; i++) max = Math.max(max, Math.abs(rows[base + i]!));
      const scale = max / 127;
      scales[r] = scale;
      if (scale > 0) for (let i = 0; i < dims; i++) codes[base + i] = Math.round(rows[base + i]! / scale);
    }
    return new QuantizedRows(dims, scales, codes, normsOf(scales, codes, dims));
  }

  /** Cosine similarity between a query vector and row `row` (0 for a zero vector). */
  cosine(vector: readonly number[], row: number): number {
    const { codes, dims } = this;
    if (row < 0 || row >= this.count) throw new RangeError(`no vector for document ${row}`);
    const base = row * dims;
    let dot = 0;
    let nq = 0;
    for (let i = 0; i < dims; i++) {
      const q = vector[i] ?? 0;
      dot += q * codes[base + i]!;
      nq += q * q;
    }
    const norm = this.norms[row]!;
    return nq > 0 && norm > 0 ? (dot * this.scales[row]!) / (Math.sqrt(nq) * norm) : 0;
  }

  /** One file: the scales (float32), then the codes. */
  async save(file: string): Promise<void> {
    const { scales, codes } = this;
    await fs.writeFile(file, Buffer.concat([Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength), Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength)]));
  }

  /** Rows saved by `save`, from a buffer read with readAligned. */
  static fromBuffer(buffer: ArrayBuffer, dims: number): QuantizedRows {
    const count = buffer.byteLength / (4 + dims);
    if (!Number.isInteger(count)) throw new Error(`a vector rows file of ${buffer.byteLength} bytes cannot hold rows of ${dims} dimensions`);
    const scales = new Float32Array(buffer, 0, count);
    const codes = new Int8Array(buffer, count * 4, count * dims);
    return new QuantizedRows(dims, scales, codes, normsOf(scales, codes, dims));
  }
}

function normsOf(scales: Float32Array, codes: Int8Array, dims: number): Float32Array {
  const norms = new Float32Array(scales.length);
  for (let r = 0; r < scales.length; r++) {
    let sum = 0;
    for (let i = r * dims, end = i + dims; i < end; i++) sum += codes[i]! * codes[i]!;
    norms[r] = Math.sqrt(sum) * scales[r]!;
  }
  return norms;
}
