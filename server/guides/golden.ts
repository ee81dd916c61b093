/**
 * Semantic golden files: for every combination of answers of a guide, the questions the flow asks and the
 * checklist it ends with, in a readable text that diffs well. One block per combination, headed by the
 * combination, so a failing comparison can say exactly which combinations changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceItem } from '../kb/schema.ts';
import type { Guides } from './guides.ts';
import { combinations } from './validate.ts';

const HEADER_PREFIX = '## ';

export function goldenText(guides: Guides, item: ServiceItem): string {
  const lines = [
    `# ${item.id} · ${item.title}`,
    `# item updated ${item.updatedAt}; ${item.questions.map((q) => `${q.id} (${q.options.map((o) => o.id).join('/')})`).join(' × ')}`,
    '# Every combination of answers: the questions asked, and the materials required (form, copies, why).',
    '# Regenerate with UPDATE_GUIDES=1 npx vitest run server/guides, then review the diff.',
  ];
  const combos = combinations(item);
  if (!combos) {
    lines.push('', 'not enumerated: too many combinations of answers');
    return `${lines.join('\n')}\n`;
  }
  for (const vec of combos) {
    const answers = Object.fromEntries(item.questions.map((q, i) => [q.id, vec[i]!]));
    const r = guides.evaluate(item.id, answers, 'zh');
    lines.push('', `${HEADER_PREFIX}${item.questions.map((q, i) => `${q.id}=${vec[i]}`).join(', ')}`);
    lines.push(`asked: ${r.answered.map((a) => a.questionId).join(', ') || '(none)'}`);
    if (r.dropped.length) lines.push(`skipped: ${r.dropped.map((d) => d.questionId).join(', ')}`);
    if (!r.complete) lines.push(`INCOMPLETE: next ${r.next?.id}`);
    for (const m of r.checklist?.materials ?? r.materials.required) {
      lines.push(`- ${m.id} · ${m.name.text} · ${m.formLabel} ×${m.copies} · ${m.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Blocks by their header line (the combination); the preamble is keyed "". */
export function parseGolden(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let key = '';
  let body: string[] = [];
  const flush = () => blocks.set(key, body.join('\n').trim());
  for (const line of text.split('\n')) {
    if (line.startsWith(HEADER_PREFIX)) {
      flush();
      key = line.slice(HEADER_PREFIX.length);
      body = [];
    } else {
      body.push(line);
    }
  }
  flush();
  return blocks;
}

/** Human-readable differences, one entry per changed, added or removed combination. */
export function diffGolden(expected: string, actual: string): string[] {
  const want = parseGolden(expected);
  const got = parseGolden(actual);
  const out: string[] = [];
  for (const [key, body] of want) {
    const label = key || '(header)';
    if (!got.has(key)) out.push(`removed combination: ${label}`);
    else if (got.get(key) !== body) {
      const a = body.split('\n');
      const b = got.get(key)!.split('\n');
      const lines = [...a.filter((l) => !b.includes(l)).map((l) => `    - ${l}`), ...b.filter((l) => !a.includes(l)).map((l) => `    + ${l}`)];
      out.push(`changed: ${label}\n${lines.join('\n')}`);
    }
  }
  for (const key of got.keys()) if (!want.has(key)) out.push(`new combination: ${key || '(header)'}`);
  return out;
}

export interface GoldenCheck {
  itemId: string;
  /** Empty when the item's expected file matches. */
  problems: string[];
}

/**
 * Compares (or, with update, rewrites) `<dir>/<itemId>.txt` for every item that has a guide. Expected files
 * for items that no longer have a guide are reported too (and removed on update).
 */
export function checkGoldenFiles(
  guides: Guides, items: readonly ServiceItem[], dir: string, options: { update: boolean },
): GoldenCheck[] {
  const results: GoldenCheck[] = [];
  const withGuide = items.filter((i) => guides.has(i.id));
  const wanted = new Set(withGuide.map((i) => `${i.id}.txt`));
  if (options.update) fs.mkdirSync(dir, { recursive: true });
  for (const item of withGuide) {
    const file = path.join(dir, `${item.id}.txt`);
    const actual = goldenText(guides, item);
    if (options.update) {
      if (read(file) !== actual) fs.writeFileSync(file, actual);
      results.push({ itemId: item.id, problems: [] });
      continue;
    }
    const expected = read(file);
    if (expected === undefined) {
      results.push({ itemId: item.id, problems: [`no expected file ${file}: generate it with UPDATE_GUIDES=1 npx vitest run server/guides and review it`] });
      continue;
    }
    results.push({ itemId: item.id, problems: diffGolden(expected, actual) });
  }
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!name.endsWith('.txt') || wanted.has(name)) continue;
    if (options.update) fs.rmSync(path.join(dir, name));
    else results.push({ itemId: name.slice(0, -4), problems: [`${path.join(dir, name)} belongs to no guide in the knowledge base: delete it (or run UPDATE_GUIDES=1)`] });
  }
  return results;
}


function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
