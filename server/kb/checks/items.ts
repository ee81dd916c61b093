/** Rules inside one service item: where its file lives, its level, its questions, materials and conditions. */
import type { KbContent, Entry } from '../content.ts';
import type { FieldPath } from '../issues.ts';
import type { ContentIndex } from '../index-content.ts';
import type { Reporter } from '../reporter.ts';
import { resolveQuestion } from '../resolve-questions.ts';
import type { Condition, Question, ServiceItemFile } from '../schema.ts';

/** Keys that conditions use as operators, so they cannot be question ids. */
const CONDITION_OPERATORS = new Set(['all', 'any', 'not']);

export function checkItems(content: KbContent, index: ContentIndex, report: Reporter): void {
  const library = new Map([...index.questions].map(([id, e]) => [id, e.value]));
  for (const entry of content.items) checkItem(entry, library, index.themes.has(entry.value.theme), report);
}

function checkItem({ value: item, at }: Entry<ServiceItemFile>, library: ReadonlyMap<string, Question>, knownTheme: boolean, report: Reporter): void {
  const expected = `items/${item.theme}/${item.id}.yaml`;
  if (knownTheme && at.file !== expected) report.error(at, ['id'], `the file of item "${item.id}" (theme "${item.theme}") must be ${expected}`);

  if (item.level === '区级' && !item.district) report.error(at, ['level'], 'a 区级 item must name its district');
  if (item.level === '市级' && item.district) report.error(at, ['district'], 'a 市级 item must not name a district');

  // null: a question whose options are unknown (its { ref } is broken, reported by checkReferences)
  const options = new Map<string, Set<string> | null>();
  item.questions.forEach((q, i) => {
    const question = resolveQuestion(q, library);
    if (!question) {
      if ('ref' in q) options.set(q.ref, null);
      return;
    }
    const path: FieldPath = 'ref' in q ? ['questions', i, 'ref'] : ['questions', i, 'id'];
    if (options.has(question.id)) report.error(at, path, `question "${question.id}" appears twice in this item`);
    if (CONDITION_OPERATORS.has(question.id)) report.error(at, path, `"${question.id}" is a condition operator and cannot be a question id`);
    const ids = new Set<string>();
    question.options.forEach((o, j) => {
      if (ids.has(o.id)) report.error(at, 'ref' in q ? path : ['questions', i, 'options', j, 'id'], `option "${o.id}" appears twice in question "${question.id}"`);
      ids.add(o.id);
    });
    options.set(question.id, ids);
  });

  const materials = new Set<string>();
  item.materials.forEach((m, i) => {
    if (materials.has(m.id)) report.error(at, ['materials', i, 'id'], `material "${m.id}" appears twice in this item`);
    materials.add(m.id);
    if (m.when) checkCondition(m.when, ['materials', i, 'when'], options, at, report);
  });
}

function checkCondition(
  c: Condition, path: FieldPath, options: ReadonlyMap<string, Set<string> | null>, at: Entry<unknown>['at'], report: Reporter,
): void {
  if (typeof c !== 'object' || c === null) return;
  if ('all' in c && Array.isArray(c.all)) return (c.all as Condition[]).forEach((x, i) => checkCondition(x, [...path, 'all', i], options, at, report));
  if ('any' in c && Array.isArray(c.any)) return (c.any as Condition[]).forEach((x, i) => checkCondition(x, [...path, 'any', i], options, at, report));
  if ('not' in c && typeof c.not === 'object' && !Array.isArray(c.not)) return checkCondition(c.not as Condition, [...path, 'not'], options, at, report);
  for (const [questionId, value] of Object.entries(c as Record<string, string | string[]>)) {
    const allowed = options.get(questionId);
    if (allowed === null) continue;
    if (!allowed) {
      const known = [...options.keys()];
      report.error(at, [...path, questionId], `question "${questionId}" is not asked by this item${known.length ? ` (its questions: ${known.join(', ')})` : ' (it has no questions)'}`);
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    values.forEach((v, i) => {
      if (!allowed.has(v)) {
        report.error(at, Array.isArray(value) ? [...path, questionId, i] : [...path, questionId], `question "${questionId}" has no option "${v}" (options: ${[...allowed].join(', ')})`);
      }
    });
  }
}

/** Library questions: option ids unique within each. */
export function checkLibrary(content: KbContent, report: Reporter): void {
  for (const { value: q, at } of content.questions) {
    if (CONDITION_OPERATORS.has(q.id)) report.error(at, ['id'], `"${q.id}" is a condition operator and cannot be a question id`);
    const ids = new Set<string>();
    q.options.forEach((o, j) => {
      if (ids.has(o.id)) report.error(at, ['options', j, 'id'], `option "${o.id}" appears twice in question "${q.id}"`);
      ids.add(o.id);
    });
  }
}
