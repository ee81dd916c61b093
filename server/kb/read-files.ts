/** Reads every file of the layout, hashes them, parses and schema-validates each into KbContent. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod/v4';
import * as S from './schema.ts';
import type { KbContent, Entry } from './content.ts';
import { emptyContent } from './content.ts';
import type { KbFile, KbFileKind } from './layout.ts';
import type { Reporter } from './reporter.ts';
import { schemaProblems } from './schema-issues.ts';
import type { ValuePool } from './value-pool.ts';
import { parseUserDict } from './user-dict.ts';
import { parseYaml } from './yaml-file.ts';

/** Files handled between two yields to the event loop, so a reload never stalls a serving process for long. */
const CHUNK = 200;

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads with readFileSync in chunks: for thousands of small files that is several times faster than
 * fs.promises, and the yields keep the process responsive.
 */
export async function readFiles(root: string, files: readonly KbFile[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEventLoop();
    const rel = files[i]!.rel;
    texts.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
  }
  return texts;
}

/** A file's text, or undefined when it cannot be read (any more). */
export function readTextIfAny(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Schemas of the files that hold one list, validated element by element so one bad entry spares the rest. */
const LIST_ELEMENT: Partial<Record<KbFileKind, z.ZodType>> = {
  themes: S.Theme,
  departments: S.Department,
  questions: S.Question,
  policies: S.Policy,
  faqs: S.Faq,
  scenarios: S.Scenario,
  synonyms: S.SynonymFile.element,
};

export interface ReadResult {
  content: KbContent;
  /** sha256 over the sorted relative paths and contents. */
  hash: string;
}

/**
 * Reads, hashes, parses and schema-validates the files one at a time: a file's text is garbage as soon as
 * its values are read (the reporter reads a file again for the line of an issue), so a load never holds
 * every text at once, and the values keep none of them alive (see ValuePool).
 */
export async function readAndParseFiles(root: string, files: readonly KbFile[], report: Reporter, pool: ValuePool): Promise<ReadResult> {
  const content = emptyContent();
  const hash = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.rel < b.rel ? -1 : 1));
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEventLoop();
    const file = sorted[i]!;
    const text = fs.readFileSync(path.join(root, file.rel), 'utf8');
    hash.update(file.rel).update('\0').update(text).update('\0');
    parseFile(file, text, content, report, pool);
  }
  return { content, hash: hash.digest('hex') };
}

function parseFile(file: KbFile, text: string, content: KbContent, report: Reporter, pool: ValuePool): void {
  if (file.kind === 'dict') {
    readDict(file, text, content, report, pool);
    return;
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) report.add('error', file.rel, [], `YAML syntax error: ${e.message}`, e.line);
    content.incomplete.add(file.kind);
    return;
  }
  if (file.kind === 'item') readSingle(file, parsed.value, S.ServiceItem, content.items, content, report, pool);
  else if (file.kind === 'calendar') {
    const found: Entry<S.Calendar>[] = [];
    readSingle(file, parsed.value, S.Calendar, found, content, report, pool);
    content.calendar = found[0];
  } else readList(file, parsed.value, content, report, pool);
}

function readSingle<T>(
  file: KbFile, value: unknown, schema: z.ZodType<T>, into: Entry<T>[], content: KbContent, report: Reporter, pool: ValuePool,
): void {
  const result = schema.safeParse(value ?? undefined);
  if (result.success) {
    into.push({ value: pool.shareChildren(result.data), at: { file: file.rel, path: [] } });
    return;
  }
  content.incomplete.add(file.kind);
  if (value === null || value === undefined) {
    report.add('error', file.rel, [], 'the file is empty', 1);
    return;
  }
  for (const p of schemaProblems(result.error.issues)) report.add('error', file.rel, p.path, p.message);
}

function readList(file: KbFile, value: unknown, content: KbContent, report: Reporter, pool: ValuePool): void {
  if (value === null || value === undefined) return; // an empty list file is allowed
  if (!Array.isArray(value)) {
    report.add('error', file.rel, [], 'the file must be a YAML list (each entry starting with "- ")', 1);
    content.incomplete.add(file.kind);
    return;
  }
  const schema = LIST_ELEMENT[file.kind]!;
  const into = listOf(content, file.kind);
  value.forEach((element, index) => {
    const result = schema.safeParse(element);
    if (result.success) into.push({ value: pool.shareChildren(result.data), at: { file: file.rel, path: [index] } });
    else {
      content.incomplete.add(file.kind);
      for (const p of schemaProblems(result.error.issues, [index])) report.add('error', file.rel, p.path, p.message);
    }
  });
}

function listOf(content: KbContent, kind: KbFileKind): Entry<unknown>[] {
  switch (kind) {
    case 'themes': return content.themes;
    case 'departments': return content.departments;
    case 'questions': return content.questions;
    case 'policies': return content.policies;
    case 'faqs': return content.faqs;
    case 'scenarios': return content.scenarios;
    case 'synonyms': return content.synonyms;
    default: throw new Error(`${kind} files do not hold a list`);
  }
}

function readDict(file: KbFile, text: string, content: KbContent, report: Reporter, pool: ValuePool): void {
  const { entries, problems } = parseUserDict(text);
  for (const p of problems) report.add('error', file.rel, [], p.message, p.line);
  for (const e of entries) content.dict.push({ value: pool.shareChildren(e.entry), at: { file: file.rel, path: [], line: e.line } });
}
