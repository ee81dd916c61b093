import fs from 'node:fs/promises';

/** A built file's bytes, or null when it is not there (not built yet, or a directory in its place). */
export async function readBuiltFile(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return null;
    throw e;
  }
}
