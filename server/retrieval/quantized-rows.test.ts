import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.ts';
import { QuantizedRows } from './quantized-rows.ts';
import { readAligned } from './typed-files.ts';

const DIMS = 128;

function randomRows(count: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const rows = new Float32Array(count * DIMS);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let i = 0; i < DIMS; i++) norm += (rows[r * DIMS + i] = rand() * 2 - 1) ** 2;
    for (let i = 0; i < DIMS; i++) rows[r * DIMS + i]! /= Math.sqrt(norm);
  }
  return rows;
}

function exactCosine(q: readonly number[], rows: Float32Array, r: number): number {
  let dot = 0;
  let nq = 0;
  let np = 0;
  for (let i = 0; i < DIMS; i++) {
    dot += q[i]! * rows[r * DIMS + i]!;
    nq += q[i]! ** 2;
    np += rows[r * DIMS + i]! ** 2;
  }
  return dot / Math.sqrt(nq * np);
}

describe('QuantizedRows', () => {
  it('gives every row’s cosine with a query within 0.01 of the exact one, in a quarter of the bytes', () => {
    const rows = randomRows(500, 7);
    const q8 = QuantizedRows.fromFloat(rows, DIMS);
    expect(q8.count).toBe(500);
    expect(q8.codes.byteLength + q8.scales.byteLength).toBeLessThan(rows.byteLength / 3.5);
    const queries = randomRows(20, 11);
    let worst = 0;
    for (let j = 0; j < 20; j++) {
      const q = Array.from(queries.subarray(j * DIMS, (j + 1) * DIMS), (x) => x * 3); // any length
      for (let r = 0; r < 500; r++) worst = Math.max(worst, Math.abs(q8.cosine(q, r) - exactCosine(q, rows, r)));
    }
    expect(worst).toBeLessThan(0.01);
    expect(worst).toBeGreaterThan(0); // it is an approximation, and the test would notice the float rows
  });

  it('answers 0 for a zero query or row, and refuses a row it does not have', () => {
    const rows = randomRows(2, 3);
    rows.fill(0, DIMS);
    const q8 = QuantizedRows.fromFloat(rows, DIMS);
    expect(q8.cosine(new Array(DIMS).fill(0), 0)).toBe(0);
    expect(q8.cosine(new Array(DIMS).fill(1), 1)).toBe(0);
    expect(() => q8.cosine([1], 2)).toThrow(RangeError);
  });

  it('reads back exactly what it saved, and rejects a file of the wrong size', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-q8-'));
    try {
      const q8 = QuantizedRows.fromFloat(randomRows(40, 5), DIMS);
      const file = path.join(dir, 'rows.q8');
      await q8.save(file);
      const back = QuantizedRows.fromBuffer(await readAligned(file), DIMS);
      expect(back.codes).toEqual(q8.codes);
      expect(back.scales).toEqual(q8.scales);
      const q = Array.from({ length: DIMS }, (_, i) => Math.sin(i));
      for (let r = 0; r < 40; r++) expect(back.cosine(q, r)).toBe(q8.cosine(q, r));
      expect(() => QuantizedRows.fromBuffer(new ArrayBuffer(4 + DIMS + 1), DIMS)).toThrow(/cannot hold rows/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
