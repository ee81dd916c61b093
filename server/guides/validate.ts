/**
 * Publish-time checks for situational guides, by exhaustive enumeration of each item's finite answer space:
 *   - every condition names the item's questions and their options;
 *   - no material is unreachable (condition false for every combination) and no condition, or part of one,
 *     is constant by mistake (always true, or a branch that can never hold);
 *   - every combination of answers yields a non-empty checklist;
 *   - every question can change the checklist.
 * Plugs into the KB loader as a KbValidator.
 */
import type { KbIssue, KnowledgeBase } from '../kb/knowledge-base.ts';
import type { Condition, ServiceItem } from '../kb/schema.ts';
import { compileCondition, conditionLeaves, isAll, isAny, isNot, T, type AnswerVector } from './conditions.ts';

/** Above this many answer combinations an item is not analysed (items have at most 4 questions × 4 options = 256). */
export const MAX_COMBINATIONS = 4096;

export function validateGuides(kb: KnowledgeBase): KbIssue[] {
  const issues: KbIssue[] = [];
  for (const item of kb.items) {
    if (item.questions.length === 0 && item.materials.every((m) => !m.when)) continue;
    issues.push(...validateGuide(item, kb.sourceFiles.get(item.id) ?? `items/${item.theme}/${item.id}.yaml`));
  }
  return issues;
}

export function validateGuide(item: ServiceItem, file: string): KbIssue[] {
  const issues: KbIssue[] = [];
  const error = (field: string, message: string) => issues.push({ file, field, message, severity: 'error' });
  const warn = (field: string, message: string) => issues.push({ file, field, message, severity: 'warning' });

  // Question and option ids must be unique for answers to mean anything.
  const options = new Map<string, string[]>();
  item.questions.forEach((q, i) => {
    if (options.has(q.id)) error(`questions.${i}.id`, `question "${q.id}" is asked twice`);
    else options.set(q.id, q.options.map((o) => o.id));
    const seen = new Set<string>();
    q.options.forEach((o, j) => {
      if (seen.has(o.id)) error(`questions.${i}.options.${j}.id`, `option "${o.id}" appears twice in question "${q.id}"`);
      seen.add(o.id);
    });
  });
  const allowed = [...options.keys()].join(', ') || '(none: the item asks no questions)';

  // Every condition names defined questions and options.
  let broken = issues.length > 0;
  item.materials.forEach((m, i) => {
    if (!m.when) return;
    for (const leaf of conditionLeaves(m.when)) {
      const field = `materials.${i}.when.${leaf.path}`;
      const opts = options.get(leaf.questionId);
      if (!opts) {
        error(field, `material "${m.id}" depends on question "${leaf.questionId}", which this item does not ask; questions: ${allowed}`);
        broken = true;
        continue;
      }
      for (const o of leaf.optionIds) {
        if (!opts.includes(o)) {
          error(field, `"${o}" is not an option of question "${leaf.questionId}"; options: ${opts.join(', ')}`);
          broken = true;
        }
      }
    }
  });
  if (broken) return issues;

  const combos = combinations(item);
  if (combos === undefined) {
    warn('questions', `the questions have more than ${MAX_COMBINATIONS} combinations of answers; the guide is not analysed (split the item or reduce the options)`);
    return issues;
  }
  const ids = item.questions.map((q) => q.id);
  const indexOf = (id: string) => {
    const i = ids.indexOf(id);
    return i < 0 ? undefined : i;
  };
  const truthTable = (c: Condition) => {
    const f = compileCondition(c, indexOf);
    return combos.map((a) => f(a) === T);
  };

  // Reachability and constant conditions.
  const required: boolean[][] = item.materials.map((m, i) => {
    if (!m.when) return combos.map(() => true);
    const table = truthTable(m.when);
    const field = `materials.${i}.when`;
    if (table.every((v) => !v)) {
      error(field, `material "${m.id}" is never required: its condition is false for every combination of answers`);
    } else if (table.every((v) => v)) {
      warn(field, `material "${m.id}" is required for every combination of answers: the condition is always true (remove it, or fix it)`);
    }
    constantParts(m.when, field, truthTable, warn);
    return table;
  });

  // Every combination yields a non-empty checklist.
  const empty = combos.filter((_, c) => required.every((t) => !t[c]));
  if (empty.length > 0) {
    const shown = empty.slice(0, 3).map((a) => describe(ids, a)).join('; ');
    error('materials', `no material is required for ${empty.length} combination(s) of answers: ${shown}${empty.length > 3 ? '; …' : ''}`);
  }

  // Every question decides some material.
  const referenced = new Set(item.materials.flatMap((m) => (m.when ? conditionLeaves(m.when).map((l) => l.questionId) : [])));
  item.questions.forEach((q, i) => {
    if (!referenced.has(q.id)) {
      warn(`questions.${i}`, `question "${q.id}" decides no material: no material's condition names it (remove it, or add the condition that uses it)`);
    } else if (!required.some((t) => changesWith(t, item, i))) {
      warn(`questions.${i}`, `question "${q.id}" never changes the checklist: every condition naming it gives the same result whatever the answer`);
    }
  });
  return issues;
}

/** Every full answer vector in mixed-radix order (the first question varies slowest), or undefined when too many. */
export function combinations(item: ServiceItem): AnswerVector[] | undefined {
  const radix = item.questions.map((q) => q.options.length);
  const total = radix.reduce((p, r) => p * r, 1);
  if (total > MAX_COMBINATIONS) return undefined;
  const out: string[][] = [];
  for (let idx = 0; idx < total; idx++) {
    const vec: string[] = new Array<string>(radix.length);
    let rest = idx;
    for (let k = radix.length - 1; k >= 0; k--) {
      vec[k] = item.questions[k]!.options[rest % radix[k]!]!.id;
      rest = Math.floor(rest / radix[k]!);
    }
    out.push(vec);
  }
  return out;
}

/** Does flipping question `q` (with everything else fixed) change the table anywhere? */
function changesWith(table: readonly boolean[], item: ServiceItem, q: number): boolean {
  let stride = 1;
  for (let k = item.questions.length - 1; k > q; k--) stride *= item.questions[k]!.options.length;
  const r = item.questions[q]!.options.length;
  for (let idx = 0; idx < table.length; idx++) {
    const digit = Math.floor(idx / stride) % r;
    if (digit > 0 && table[idx] !== table[idx - digit * stride]) return true;
  }
  return false;
}

/** Reports the outermost parts of a condition that are always true or always false on their own. */
function constantParts(
  cond: Condition,
  field: string,
  truthTable: (c: Condition) => boolean[],
  warn: (field: string, message: string) => void,
): void {
  const children: Array<[Condition, string]> = isAll(cond)
    ? cond.all.map((c, i) => [c, `${field}.all.${i}`])
    : isAny(cond)
      ? cond.any.map((c, i) => [c, `${field}.any.${i}`])
      : isNot(cond)
        ? [[cond.not, `${field}.not`]]
        : [];
  for (const [child, path] of children) {
    const t = truthTable(child);
    if (t.every((v) => v)) warn(path, 'this part of the condition always holds, whatever the answers (does it list every option?)');
    else if (t.every((v) => !v)) warn(path, 'this part of the condition can never hold, whatever the answers');
    else constantParts(child, path, truthTable, warn);
  }
  // A leaf listing every option of a question: `{ q: [all options] }` inside a multi-key test.
  if (!isAll(cond) && !isAny(cond) && !isNot(cond)) {
    const keys = Object.keys(cond);
    if (keys.length > 1) {
      for (const k of keys) {
        const t = truthTable({ [k]: (cond as Record<string, string | string[]>)[k]! });
        if (t.every((v) => v)) warn(`${field}.${k}`, `lists every option of question "${k}", so it always holds`);
      }
    }
  }
}

function describe(ids: readonly string[], answers: AnswerVector): string {
  return ids.map((id, i) => `${id}=${answers[i]}`).join(', ');
}
