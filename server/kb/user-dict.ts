/**
 * The jieba user dictionary: one term per line, `word [freq] [tag]`, fields separated by spaces.
 * A line with two fields carries a frequency when the second field is a number, a part-of-speech
 * tag otherwise. Empty lines and lines starting with `#` are skipped.
 */
import type { UserDictEntry } from './knowledge-base.ts';

export interface DictLine {
  entry: UserDictEntry;
  line: number;
}

export interface DictProblem {
  line: number;
  message: string;
}

const FREQ = /^[1-9]\d{0,8}$/;
const TAG = /^[a-zA-Z][a-zA-Z0-9_]{0,7}$/;

export function parseUserDict(text: string): { entries: DictLine[]; problems: DictProblem[] } {
  const entries: DictLine[] = [];
  const problems: DictProblem[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed);
    if (typeof parsed === 'string') problems.push({ line: i + 1, message: parsed });
    else entries.push({ entry: parsed, line: i + 1 });
  });
  return { entries, problems };
}

/** The entry, or what is wrong with the line. */
function parseLine(line: string): UserDictEntry | string {
  const fields = line.split(/\s+/);
  const [word = '', second, third] = fields;
  if (fields.length > 3) return `"${line}" has ${fields.length} fields; expected "word [freq] [tag]"`;
  if (third !== undefined) {
    if (!FREQ.test(second ?? '')) return `frequency "${second}" must be a positive integer`;
    if (!TAG.test(third)) return `tag "${third}" must be a part-of-speech tag such as n, nz or v`;
    return { word, freq: Number(second), tag: third };
  }
  if (second === undefined) return { word };
  if (/^[-+.\d]/.test(second)) return FREQ.test(second) ? { word, freq: Number(second) } : `frequency "${second}" must be a positive integer`;
  return TAG.test(second) ? { word, tag: second } : `"${second}" is neither a frequency nor a part-of-speech tag`;
}
