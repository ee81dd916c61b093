/** Reply templates kept in prompts/replies.<lang>.yaml: loaded once, filled with `{name}` placeholders. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../config/config.ts';
import type { Lang } from './reply.ts';

export const DEFAULT_PROMPTS_DIR = path.join(PROJECT_ROOT, 'prompts');

type TemplateTree = { [key: string]: string | string[] | TemplateTree };

export interface Templates {
  readonly lang: Lang;
  /** The template at a dotted key, filled; unknown placeholders are left empty. Throws on a missing key. */
  text(key: string, vars?: Record<string, string | number | undefined>): string;
  /** A list template (e.g. default_suggestions). */
  list(key: string): string[];
  has(key: string): boolean;
  /** The raw, unfilled template text (the grounding check allows the template's own figures). */
  raw(key: string): string;
}

function lookup(tree: TemplateTree, key: string): string | string[] | TemplateTree | undefined {
  let node: string | string[] | TemplateTree | undefined = tree;
  for (const part of key.split('.')) {
    if (!node || typeof node === 'string' || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

function fromTree(lang: Lang, tree: TemplateTree, file: string): Templates {
  const str = (key: string): string => {
    const v = lookup(tree, key);
    if (typeof v !== 'string') throw new Error(`Reply template "${key}" is missing in ${file}`);
    return v;
  };
  return {
    lang,
    text(key, vars = {}) {
      return str(key).replace(/\{(\w+)\}/g, (_, name: string) => {
        const v = vars[name];
        return v === undefined ? '' : String(v);
      });
    },
    list(key) {
      const v = lookup(tree, key);
      if (!Array.isArray(v)) throw new Error(`Reply template list "${key}" is missing in ${file}`);
      return [...v];
    },
    has: (key) => typeof lookup(tree, key) === 'string',
    raw: str,
  };
}

export type TemplateSet = Record<Lang, Templates>;

const cache = new Map<string, TemplateSet>();

/** Loads prompts/replies.zh.yaml and prompts/replies.en.yaml from `dir` (cached per directory). */
export function loadTemplates(dir: string = DEFAULT_PROMPTS_DIR): TemplateSet {
  const hit = cache.get(dir);
  if (hit) return hit;
  const load = (lang: Lang) => {
    const file = path.join(dir, `replies.${lang}.yaml`);
    return fromTree(lang, parse(fs.readFileSync(file, 'utf8')) as TemplateTree, file);
  };
  const set = { zh: load('zh'), en: load('en') };
  cache.set(dir, set);
  return set;
}
