/** Three-valued evaluation of a material's `when` condition against the situation known so far. */
import type { Condition } from '../kb/schema.ts';

/** true / false when decided by the answers given, undefined while a question it depends on is unanswered. */
export function evaluateCondition(cond: Condition, answers: Readonly<Record<string, string>>): boolean | undefined {
  if ('all' in cond && Array.isArray(cond.all)) {
    const results = (cond.all as Condition[]).map((c) => evaluateCondition(c, answers));
    if (results.includes(false)) return false;
    return results.every((r) => r === true) ? true : undefined;
  }
  if ('any' in cond && Array.isArray(cond.any)) {
    const results = (cond.any as Condition[]).map((c) => evaluateCondition(c, answers));
    if (results.includes(true)) return true;
    return results.every((r) => r === false) ? false : undefined;
  }
  if ('not' in cond && cond.not && typeof cond.not === 'object' && !Array.isArray(cond.not)) {
    const r = evaluateCondition(cond.not as Condition, answers);
    return r === undefined ? undefined : !r;
  }
  const results = Object.entries(cond as Record<string, string | string[]>).map(([q, want]) => {
    const got = answers[q];
    if (got === undefined) return undefined;
    return Array.isArray(want) ? want.includes(got) : want === got;
  });
  if (results.includes(false)) return false;
  return results.every((r) => r === true) ? true : undefined;
}

/** The question ids a condition mentions. */
export function conditionQuestions(cond: Condition): string[] {
  if ('all' in cond && Array.isArray(cond.all)) return (cond.all as Condition[]).flatMap(conditionQuestions);
  if ('any' in cond && Array.isArray(cond.any)) return (cond.any as Condition[]).flatMap(conditionQuestions);
  if ('not' in cond && cond.not && typeof cond.not === 'object' && !Array.isArray(cond.not)) return conditionQuestions(cond.not as Condition);
  return Object.keys(cond);
}
