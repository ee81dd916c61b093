/**
 * The condition language (see server/kb/schema.ts) evaluated in three-valued (Kleene) logic: over partial
 * answers a condition is true, false, or unknown while an answer it needs is missing. Over complete answers
 * this is ordinary two-valued logic. Conditions are compiled once into closures over an array of answers
 * indexed by question, which keeps evaluation to a few tens of nanoseconds.
 */
import type { Condition } from '../kb/schema.ts';
import type { Answers } from './types.ts';

/** Kleene truth values, as small integers so compiled conditions stay monomorphic. */
export const F = 0;
export const T = 1;
export const U = 2;
export type Truth = typeof F | typeof T | typeof U;

/** Answers laid out by question index; undefined = not answered. */
export type AnswerVector = ReadonlyArray<string | undefined>;
export type CompiledCondition = (answers: AnswerVector) => Truth;

type Leaf = { [questionId: string]: string | string[] };

export function isAll(c: Condition): c is { all: Condition[] } {
  return 'all' in c && Array.isArray((c as { all: unknown }).all);
}
export function isAny(c: Condition): c is { any: Condition[] } {
  return 'any' in c && Array.isArray((c as { any: unknown }).any);
}
export function isNot(c: Condition): c is { not: Condition } {
  return 'not' in c && typeof (c as { not: unknown }).not === 'object' && !Array.isArray((c as { not: unknown }).not);
}

/** One `question: option(s)` test inside a condition, with its dotted path relative to the condition. */
export interface ConditionLeaf {
  path: string;
  questionId: string;
  optionIds: string[];
}

/** Every question/options test in a condition, in document order. */
export function conditionLeaves(cond: Condition, path = ''): ConditionLeaf[] {
  const join = (p: string, k: string | number) => (p ? `${p}.${k}` : String(k));
  if (isAll(cond)) return cond.all.flatMap((c, i) => conditionLeaves(c, join(join(path, 'all'), i)));
  if (isAny(cond)) return cond.any.flatMap((c, i) => conditionLeaves(c, join(join(path, 'any'), i)));
  if (isNot(cond)) return conditionLeaves(cond.not, join(path, 'not'));
  return Object.entries(cond as Leaf).map(([questionId, v]) => ({
    path: join(path, questionId),
    questionId,
    optionIds: typeof v === 'string' ? [v] : [...v],
  }));
}

/** The questions a condition reads (JsonLogic's `uses_data`), in first-use order. */
export function conditionQuestions(cond: Condition): string[] {
  const out = new Set<string>();
  const walk = (c: Condition): void => {
    if (isAll(c)) c.all.forEach(walk);
    else if (isAny(c)) c.any.forEach(walk);
    else if (isNot(c)) walk(c.not);
    else for (const k of Object.keys(c)) out.add(k);
  };
  walk(cond);
  return [...out];
}

/**
 * Compiles a condition against a question layout. A question the layout does not know never matches
 * (the guide validator reports it), so a bad reference cannot crash evaluation.
 */
export function compileCondition(cond: Condition, indexOf: (questionId: string) => number | undefined): CompiledCondition {
  if (isAll(cond)) {
    const parts = cond.all.map((c) => compileCondition(c, indexOf));
    return (a) => {
      let r: Truth = T;
      for (const p of parts) {
        const v = p(a);
        if (v === F) return F;
        if (v === U) r = U;
      }
      return r;
    };
  }
  if (isAny(cond)) {
    const parts = cond.any.map((c) => compileCondition(c, indexOf));
    return (a) => {
      let r: Truth = F;
      for (const p of parts) {
        const v = p(a);
        if (v === T) return T;
        if (v === U) r = U;
      }
      return r;
    };
  }
  if (isNot(cond)) {
    const inner = compileCondition(cond.not, indexOf);
    return (a) => {
      const v = inner(a);
      return v === U ? U : v === T ? F : T;
    };
  }
  const tests = Object.entries(cond as Leaf).map(([qid, v]) => ({
    index: indexOf(qid),
    allowed: new Set(typeof v === 'string' ? [v] : v),
  }));
  return (a) => {
    let r: Truth = T;
    for (const t of tests) {
      if (t.index === undefined) return F;
      const v = a[t.index];
      if (v === undefined) r = U;
      else if (!t.allowed.has(v)) return F;
    }
    return r;
  };
}

/**
 * Three-valued evaluation over (possibly partial) answers: true, false, or undefined while it depends on a
 * question not answered yet. Kleene logic: `any` is true as soon as one part is true, `all` false as soon as
 * one part is false.
 */
export function evaluateCondition(cond: Condition, answers: Answers): boolean | undefined {
  const ids = conditionQuestions(cond);
  const vec = ids.map((id) => (Object.hasOwn(answers, id) ? answers[id] : undefined));
  const v = compileCondition(cond, (q) => {
    const i = ids.indexOf(q);
    return i < 0 ? undefined : i;
  })(vec);
  return v === U ? undefined : v === T;
}

/** Two-valued evaluation: an unanswered question matches no option. */
export function conditionHolds(cond: Condition, answers: Answers): boolean {
  const ids = conditionQuestions(cond);
  const complete: Record<string, string> = { ...answers };
  for (const id of ids) if (!Object.hasOwn(complete, id)) complete[id] = '\u0000unanswered';
  return evaluateCondition(cond, complete) === true;
}
