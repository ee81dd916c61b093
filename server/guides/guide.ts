/**
 * A service item compiled for questioning: its questions laid out by index, and each material's condition
 * compiled, with the questions it reads. `materialStatus` is exact: a material is decided only when every
 * way of answering the remaining questions gives the same result, and a question is "open" for a material
 * only when some answer to it can still flip the material.
 */
import type { Material, Question, ServiceItem } from '../kb/schema.ts';
import { compileCondition, conditionQuestions, F, T, U, type AnswerVector, type CompiledCondition, type Truth } from './conditions.ts';

export interface CompiledMaterial {
  index: number;
  material: Material;
  when?: CompiledCondition;
  /** Indices of the questions the condition reads. */
  vars: number[];
}

export interface Guide {
  item: ServiceItem;
  questions: readonly Question[];
  indexOf: ReadonlyMap<string, number>;
  /** Option ids per question index. */
  options: ReadonlyArray<readonly string[]>;
  materials: readonly CompiledMaterial[];
}

export interface MaterialStatus {
  truth: Truth;
  /** Unanswered questions (indices) whose answer can still change this material. */
  open: number[];
}

/** Above this many completions a material is treated as open on all its free questions (never hit by real items). */
const MAX_COMPLETIONS = 1 << 14;

export function compileGuide(item: ServiceItem): Guide {
  const indexOf = new Map<string, number>();
  item.questions.forEach((q, i) => {
    if (!indexOf.has(q.id)) indexOf.set(q.id, i);
  });
  const lookup = (id: string) => indexOf.get(id);
  const materials = item.materials.map((material, index): CompiledMaterial => {
    if (!material.when) return { index, material, vars: [] };
    const vars = conditionQuestions(material.when)
      .map(lookup)
      .filter((i): i is number => i !== undefined);
    return { index, material, when: compileCondition(material.when, lookup), vars };
  });
  return { item, questions: item.questions, indexOf, options: item.questions.map((q) => q.options.map((o) => o.id)), materials };
}

const DECIDED_TRUE: MaterialStatus = Object.freeze({ truth: T, open: [] }) as MaterialStatus;

export function materialStatus(guide: Guide, m: CompiledMaterial, answers: AnswerVector): MaterialStatus {
  if (!m.when) return DECIDED_TRUE;
  const kleene = m.when(answers);
  if (kleene !== U) return { truth: kleene, open: [] };
  // Kleene logic is sound but not complete (e.g. `any: [{a: x, b: p}, {a: x, b: q}]` with a = x): settle it exactly.
  const free = m.vars.filter((i) => answers[i] === undefined);
  const radix = free.map((i) => guide.options[i]!.length);
  const total = radix.reduce((p, r) => p * r, 1);
  if (total > MAX_COMPLETIONS) return { truth: U, open: free };
  const vec = answers.slice();
  const table = new Uint8Array(total);
  const digits = new Array<number>(free.length).fill(0);
  for (let idx = 0; idx < total; idx++) {
    for (let k = 0; k < free.length; k++) vec[free[k]!] = guide.options[free[k]!]![digits[k]!];
    table[idx] = m.when(vec);
    for (let k = 0; k < free.length; k++) {
      if (++digits[k]! < radix[k]!) break;
      digits[k] = 0;
    }
  }
  const first = table[0]!;
  if (table.every((v) => v === first)) return { truth: first as Truth, open: [] };
  const open: number[] = [];
  let stride = 1;
  for (let k = 0; k < free.length; k++) {
    const r = radix[k]!;
    for (let idx = 0; idx < total; idx++) {
      const digit = Math.floor(idx / stride) % r;
      if (digit > 0 && table[idx] !== table[idx - digit * stride]) {
        open.push(free[k]!);
        break;
      }
    }
    stride *= r;
  }
  return { truth: U, open };
}

/** Two-valued result over a complete answer vector. */
export function materialRequired(m: CompiledMaterial, answers: AnswerVector): boolean {
  return !m.when || m.when(answers) === T;
}

export { F, T, U };
