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
  /**
   * Undecided statuses already worked out, by the state of `vars` (each answered with one option, or
   * unanswered): a material has at most (options + 1)^vars states, so each is settled once.
   */
  memo?: Map<number, MaterialStatus>;
  /** Truth table over `vars` (see truthTable); null when too large. */
  table?: Uint8Array | null;
}

export interface Guide {
  item: ServiceItem;
  questions: readonly Question[];
  indexOf: ReadonlyMap<string, number>;
  /** Option ids per question index. */
  options: ReadonlyArray<readonly string[]>;
  /** Option id → position, per question index. */
  optionIndex: ReadonlyArray<ReadonlyMap<string, number>>;
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
  return {
    item,
    questions: item.questions,
    indexOf,
    options: item.questions.map((q) => q.options.map((o) => o.id)),
    optionIndex: item.questions.map((q) => new Map(q.options.map((o, j) => [o.id, j]))),
    materials,
  };
}

const DECIDED_TRUE: MaterialStatus = Object.freeze({ truth: T, open: Object.freeze([]) as unknown as number[] });
const DECIDED_FALSE: MaterialStatus = Object.freeze({ truth: F, open: Object.freeze([]) as unknown as number[] });

export function materialStatus(guide: Guide, m: CompiledMaterial, answers: AnswerVector): MaterialStatus {
  if (!m.when) return DECIDED_TRUE;
  const kleene = m.when(answers);
  if (kleene === T) return DECIDED_TRUE;
  if (kleene === F) return DECIDED_FALSE;
  // Kleene logic is sound but not complete (e.g. `any: [{a: x, b: p}, {a: x, b: q}]` with a = x): settle it
  // exactly, over every completion of the material's unanswered questions, read from its truth table.
  const table = truthTable(guide, m);
  if (!table) return { truth: U, open: m.vars.filter((i) => answers[i] === undefined) };
  let key = 0;
  for (const i of m.vars) {
    const r = guide.options[i]!.length;
    const a = answers[i];
    key = key * (r + 1) + (a === undefined ? r : (guide.optionIndex[i]!.get(a) ?? 0));
  }
  m.memo ??= new Map();
  let s = m.memo.get(key);
  if (!s) {
    s = Object.freeze(settle(guide, m, table, answers)) as MaterialStatus;
    m.memo.set(key, s);
  }
  return s;
}

function settle(guide: Guide, m: CompiledMaterial, table: Uint8Array, answers: AnswerVector): MaterialStatus {
  const free: number[] = [];
  const freeAt: number[] = [];
  let base = 0;
  let stride = 1;
  for (let k = m.vars.length - 1; k >= 0; k--) {
    const i = m.vars[k]!;
    const a = answers[i];
    if (a === undefined) {
      free.push(i);
      freeAt.push(stride);
    } else base += (guide.optionIndex[i]!.get(a) ?? 0) * stride;
    stride *= guide.options[i]!.length;
  }
  const radix = free.map((i) => guide.options[i]!.length);
  const total = radix.reduce((p, r) => p * r, 1);
  const sub = new Uint8Array(total);
  const digits = new Array<number>(free.length).fill(0);
  let at = base;
  for (let idx = 0; idx < total; idx++) {
    sub[idx] = table[at]!;
    for (let k = 0; k < free.length; k++) {
      at += freeAt[k]!;
      if (++digits[k]! < radix[k]!) break;
      at -= digits[k]! * freeAt[k]!;
      digits[k] = 0;
    }
  }
  const first = sub[0]!;
  if (sub.every((v) => v === first)) return first === T ? DECIDED_TRUE : DECIDED_FALSE;
  const open: number[] = [];
  let s = 1;
  for (let k = 0; k < free.length; k++) {
    const r = radix[k]!;
    for (let idx = 0; idx < total; idx++) {
      const digit = Math.floor(idx / s) % r;
      if (digit > 0 && sub[idx] !== sub[idx - digit * s]) {
        open.push(free[k]!);
        break;
      }
    }
    s *= r;
  }
  return { truth: U, open: open.sort((a, b) => a - b) };
}

/**
 * The material's condition over every complete answer to its questions (mixed radix, last question
 * fastest), computed on first need; undefined when too large to tabulate.
 */
function truthTable(guide: Guide, m: CompiledMaterial): Uint8Array | undefined {
  if (m.table !== undefined) return m.table ?? undefined;
  const radix = m.vars.map((i) => guide.options[i]!.length);
  const total = radix.reduce((p, r) => p * r, 1);
  if (total > MAX_COMPLETIONS || !m.when) {
    m.table = null;
    return undefined;
  }
  const table = new Uint8Array(total);
  const vec = new Array<string | undefined>(guide.questions.length);
  for (let idx = 0; idx < total; idx++) {
    let rest = idx;
    for (let k = m.vars.length - 1; k >= 0; k--) {
      vec[m.vars[k]!] = guide.options[m.vars[k]!]![rest % radix[k]!];
      rest = Math.floor(rest / radix[k]!);
    }
    table[idx] = m.when(vec);
  }
  m.table = table;
  return table;
}

export { F, T, U };
