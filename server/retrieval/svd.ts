/**
 * Truncated SVD of a sparse matrix by randomized range finding with power iterations (Halko, Martinsson
 * and Tropp, 2011), in plain TypeScript over Float64Array. Only the right singular vectors and the singular
 * values are returned: that is all latent semantic analysis needs to project new text.
 */
import { seededRandom } from '../common/seeded-random.ts';

/** A sparse matrix in compressed sparse row form (rows × cols). */
export interface CsrMatrix {
  rows: number;
  cols: number;
  rowPtr: Uint32Array;
  colIdx: Uint32Array;
  values: Float32Array;
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Y (rows × l) = A · X (cols × l), dense row-major. */
function multiply(a: CsrMatrix, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let p = a.rowPtr[r]!; p < a.rowPtr[r + 1]!; p++) {
      const v = a.values[p]!;
      const xo = a.colIdx[p]! * l;
      for (let j = 0; j < l; j++) y[yo + j]! += v * x[xo + j]!;
    }
  }
  return y;
}

/** Z (cols × l) = Aᵀ · Y (rows × l). */
function multiplyTransposed(a: CsrMatrix, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let p = a.rowPtr[r]!; p < a.rowPtr[r + 1]!; p++) {
      const v = a.values[p]!;
      const zo = a.colIdx[p]! * l;
      for (let j = 0; j < l; j++) z[zo + j]! += v * y[yo + j]!;
    }
  }
  return z;
}

/**
 * Orthonormalises the l columns of the row-major (n × l) matrix in place by Cholesky QR, twice
 * (row-major friendly, unlike column Gram–Schmidt). Columns that are numerically dependent become zero.
 */
function orthonormalize(m: Float64Array, n: number, l: number, passes = 2): void {
  for (let pass = 0; pass < passes; pass++) {
    const g = new Float64Array(l * l);
    for (let r = 0; r < n; r++) {
      const o = r * l;
      for (let i = 0; i < l; i++) {
        const mi = m[o + i]!;
        if (mi === 0) continue;
        const gi = i * l;
        for (let j = i; j < l; j++) g[gi + j]! += mi * m[o + j]!;
      }
    }
    let scale = 0;
    for (let i = 0; i < l; i++) scale = Math.max(scale, g[i * l + i]!);
    const rm = new Float64Array(l * l);
    const alive = new Uint8Array(l);
    for (let j = 0; j < l; j++) {
      let d = g[j * l + j]!;
      for (let k = 0; k < j; k++) d -= rm[k * l + j]! ** 2;
      if (d <= scale * 1e-13 || d <= 0) continue;
      const rjj = Math.sqrt(d);
      rm[j * l + j] = rjj;
      alive[j] = 1;
      for (let i = j + 1; i < l; i++) {
        let v = g[j * l + i]!;
        for (let k = 0; k < j; k++) v -= rm[k * l + j]! * rm[k * l + i]!;
        rm[j * l + i] = v / rjj;
      }
    }
    // Row by row: solve x R = row.
    for (let r = 0; r < n; r++) {
      const o = r * l;
      for (let j = 0; j < l; j++) {
        if (!alive[j]) {
          m[o + j] = 0;
          continue;
        }
        let v = m[o + j]!;
        for (let k = 0; k < j; k++) v -= m[o + k]! * rm[k * l + j]!;
        m[o + j] = v / rm[j * l + j]!;
      }
    }
  }
}

/** Eigen-decomposition of a symmetric (l × l) matrix by cyclic Jacobi rotations; returns eigenvalues and column eigenvectors. */
function symmetricEigen(s: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  let total = 0;
  for (let i = 0; i < l * l; i++) total += a[i]! ** 2;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off <= total * 1e-20) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (apq * apq <= total * 1e-26) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

export interface TruncatedSvd {
  /** Right singular vectors, row-major (cols × rank): row c is the latent vector of column (term) c. */
  components: Float64Array;
  singularValues: Float64Array;
  rank: number;
}

export function truncatedSvd(a: CsrMatrix, rank: number, options: { oversample?: number; powerIterations?: number; seed?: number } = {}): TruncatedSvd {
  const k = Math.max(1, Math.min(rank, a.rows, a.cols));
  const l = Math.min(k + (options.oversample ?? 10), a.rows, a.cols);
  const rand = seededRandom(options.seed ?? 42); // a rebuild yields the same vectors
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rand);

  let q = multiply(a, omega, l);
  // Intermediate bases only need to be well conditioned (one Cholesky QR pass); the final one is exact.
  const iterations = options.powerIterations ?? 1;
  orthonormalize(q, a.rows, l, iterations > 0 ? 1 : 2);
  for (let it = 0; it < iterations; it++) {
    // Only the (small) row side is re-orthonormalised: the column side is as large as the vocabulary,
    // and in double precision a couple of iterations lose nothing measurable without it.
    const z = multiplyTransposed(a, q, l);
    q = multiply(a, z, l);
    orthonormalize(q, a.rows, l, it === iterations - 1 ? 2 : 1);
  }
  // B = Qᵀ A, kept transposed: Bt (cols × l). Then B Bᵀ = Btᵀ Bt (l × l) = W Σ² Wᵀ, and V = Bt W Σ⁻¹.
  const bt = multiplyTransposed(a, q, l);
  const gram = new Float64Array(l * l);
  if (a.rows < a.cols) {
    // Qᵀ (A Bt): rows × l² instead of cols × l².
    const y = multiply(a, bt, l);
    for (let r = 0; r < a.rows; r++) {
      const o = r * l;
      for (let i = 0; i < l; i++) {
        const qi = q[o + i]!;
        if (qi === 0) continue;
        for (let j = i; j < l; j++) gram[i * l + j]! += qi * y[o + j]!;
      }
    }
  } else {
    for (let c = 0; c < a.cols; c++) {
      const o = c * l;
      for (let i = 0; i < l; i++) {
        const bi = bt[o + i]!;
        if (bi === 0) continue;
        for (let j = i; j < l; j++) gram[i * l + j]! += bi * bt[o + j]!;
      }
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) gram[i * l + j] = gram[j * l + i]!;
  const { values, vectors } = symmetricEigen(gram, l);
  const order = [...values.keys()].sort((x, y) => values[y]! - values[x]!).slice(0, k);
  const singularValues = Float64Array.from(order, (i) => Math.sqrt(Math.max(values[i]!, 0)));
  const components = new Float64Array(a.cols * k);
  for (let c = 0; c < a.cols; c++) {
    const o = c * l;
    for (let r = 0; r < k; r++) {
      const w = order[r]!;
      const sigma = singularValues[r]!;
      if (sigma < 1e-12) continue;
      let s = 0;
      for (let i = 0; i < l; i++) s += bt[o + i]! * vectors[i * l + w]!;
      components[c * k + r] = s / sigma;
    }
  }
  return { components, singularValues, rank: k };
}
