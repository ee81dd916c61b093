/** Typed arrays concatenated in one file (native byte order); lengths come from the index manifest. */
import fs from 'node:fs/promises';

type ArrayKind = 'u32' | 'f32';

export async function writeArrays(file: string, arrays: ReadonlyArray<Uint32Array | Float32Array>): Promise<void> {
  await fs.writeFile(file, Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
}

/**
 * A file's bytes in a fresh ArrayBuffer, read in place: typed arrays can view it directly (a Buffer from
 * readFile may start at an unaligned offset of a shared pool, and copying it would hold the data twice).
 */
export async function readAligned(file: string): Promise<ArrayBuffer> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = new ArrayBuffer(size);
    for (let offset = 0; offset < size; ) {
      const { bytesRead } = await handle.read(new Uint8Array(buffer, offset, size - offset), 0, size - offset, offset);
      if (bytesRead === 0) throw new Error(`${file} ended after ${offset} of ${size} bytes`);
      offset += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Typed-array views of a buffer read with readAligned, in the given layout. */
export function readArrays(buffer: ArrayBuffer, layout: ReadonlyArray<readonly [ArrayKind, number]>): Array<Uint32Array | Float32Array> {
  const expected = layout.reduce((s, [, n]) => s + n * 4, 0);
  if (buffer.byteLength !== expected) throw new Error(`index file has ${buffer.byteLength} bytes, expected ${expected}`);
  let offset = 0;
  return layout.map(([kind, n]) => {
    const a = kind === 'u32' ? new Uint32Array(buffer, offset, n) : new Float32Array(buffer, offset, n);
    offset += n * 4;
    return a;
  });
}
