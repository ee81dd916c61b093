/**
 * The file layout of a knowledge base (documented at the top of schema.ts): which files exist and
 * what kind each one is.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export type KbFileKind =
  | 'themes' | 'departments' | 'questions' | 'calendar'
  | 'item' | 'policies' | 'faqs' | 'synonyms' | 'scenarios' | 'dict';

export interface KbFile {
  /** Path relative to the root, with forward slashes. */
  readonly rel: string;
  readonly kind: KbFileKind;
}

export interface KbListing {
  readonly files: KbFile[];
  /** Files the layout does not know (reported as warnings, not loaded). */
  readonly unexpected: string[];
}

export const TOP_LEVEL_FILES: Record<string, KbFileKind> = {
  'themes.yaml': 'themes',
  'departments.yaml': 'departments',
  'questions.yaml': 'questions',
  'calendar.yaml': 'calendar',
};

/** Files a knowledge base cannot do without. */
export const REQUIRED_FILES = ['themes.yaml', 'departments.yaml', 'calendar.yaml'] as const;

const DIRECTORIES: Record<string, KbFileKind> = {
  policies: 'policies',
  faqs: 'faqs',
  synonyms: 'synonyms',
  scenarios: 'scenarios',
};

/** Directories and files that live in the root but are not content (exported JSON Schemas, notes). */
function ignored(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return rel.startsWith('schema/') || base.startsWith('.') || base.endsWith('.md');
}

export function classify(rel: string): KbFileKind | undefined {
  const parts = rel.split('/');
  if (parts.length === 1) return TOP_LEVEL_FILES[rel];
  const [dir] = parts;
  if (dir === 'items') return rel.endsWith('.yaml') ? 'item' : undefined;
  if (dir === 'dict') return parts.length === 2 && rel.endsWith('.dict.txt') ? 'dict' : undefined;
  const kind = dir === undefined ? undefined : DIRECTORIES[dir];
  return kind && parts.length === 2 && rel.endsWith('.yaml') ? kind : undefined;
}

export async function listKnowledgeBase(root: string): Promise<KbListing> {
  const files: KbFile[] = [];
  const unexpected: string[] = [];
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    // Node 20 names the directory `parentPath` (and, before 20.12, `path`).
    const dir = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? root;
    const rel = path.relative(root, path.join(dir, entry.name)).split(path.sep).join('/');
    if (ignored(rel)) continue;
    const kind = classify(rel);
    if (kind) files.push({ rel, kind });
    else unexpected.push(rel);
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  unexpected.sort();
  return { files, unexpected };
}
