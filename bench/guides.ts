/**
 * Guides benchmark: evaluate latency (p50/p99) on the sample knowledge base and on a large synthetic one,
 * and the time to validate every guide of the large one. Targets: evaluate p99 ≤ 2 ms; validating 15k
 * guides ≤ 30 s. Printed, never asserted.
 *
 *   npx tsx bench/guides.ts [--items 15000]
 *
 * Two large knowledge bases: the realistic one `npm run kb:synth` writes (district variants of the sample
 * items, loaded from files like production), and a stress one built here in memory, where every fourth
 * item is a maximal guide (4 questions × 4 options, ten materials with nested all/any/not conditions).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/config/config.ts';
import { formatIssues, loadKnowledgeBase, type KnowledgeBase } from '../server/kb/index.ts';
import { synthesizeKnowledgeBase } from '../server/kb/synth.ts';
import type { Condition, Material, Question, ServiceItem } from '../server/kb/schema.ts';
import { createGuides, validateGuides, type Answers } from '../server/guides/index.ts';
import { percentile, seededRandom } from './stats.ts';

type Figures = Record<string, number | string>;

/** Random partial answers: each question answered with probability 0.7 (so both mid-flow and complete calls). */
function randomAnswers(item: ServiceItem, rand: () => number): Answers {
  const out: Record<string, string> = {};
  for (const q of item.questions) if (rand() < 0.7) out[q.id] = q.options[Math.floor(rand() * q.options.length)]!.id;
  return out;
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
  /** First call on each item, which compiles its guide. */
  coldP99: number;
}

function measureEvaluate(kb: KnowledgeBase, calls: number, seed: number): Latency {
  const guides = createGuides(kb);
  const items = kb.items.filter((i) => i.questions.length > 0);
  if (items.length === 0) throw new Error('no guide in the knowledge base');
  const rand = seededRandom(seed);
  const warm: number[] = [];
  const cold: number[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < calls; k++) {
    const item = items[Math.floor(rand() * items.length)]!;
    const answers = randomAnswers(item, rand);
    const t0 = performance.now();
    guides.evaluate(item.id, answers, k % 2 ? 'en' : 'zh');
    const dt = performance.now() - t0;
    if (seen.has(item.id)) warm.push(dt);
    else {
      cold.push(dt);
      seen.add(item.id);
    }
  }
  const all = Float64Array.from([...warm, ...cold]).sort();
  const c = Float64Array.from(cold).sort();
  return { p50: percentile(all, 50), p99: percentile(all, 99), max: all[all.length - 1]!, coldP99: c.length ? percentile(c, 99) : 0 };
}

function maximalGuide(base: ServiceItem, id: string, rand: () => number): ServiceItem {
  const questions: Question[] = Array.from({ length: 4 }, (_, i) => ({
    id: `q${i}`,
    text: `情形问题${i}？`,
    options: Array.from({ length: 4 }, (_, j) => ({ id: `o${j}`, label: `选项${i}-${j}`, hints: [] })),
  }));
  const leaf = (): Condition => {
    const q = Math.floor(rand() * 4);
    const o = Math.floor(rand() * 4);
    return rand() < 0.3 ? { [`q${q}`]: [`o${o}`, `o${(o + 1) % 4}`] } : { [`q${q}`]: `o${o}` };
  };
  const cond = (depth: number): Condition => {
    const r = rand();
    if (depth >= 2 || r < 0.4) return leaf();
    if (r < 0.65) return { all: [cond(depth + 1), cond(depth + 1)] };
    if (r < 0.9) return { any: [cond(depth + 1), cond(depth + 1)] };
    return { not: cond(depth + 1) };
  };
  const materials: Material[] = [
    { id: 'id-card', name: '居民身份证', form: '原件', copies: 1 },
    ...Array.from({ length: 10 }, (_, k): Material => ({ id: `m${k}`, name: `材料${k}`, form: '复印件', copies: 1, when: cond(0) })),
  ];
  return { ...base, id, questions, materials };
}

/** A large KnowledgeBase built in memory from the sample one. */
export function synthesise(sample: KnowledgeBase, count: number): KnowledgeBase {
  const guides = sample.items.filter((i) => i.questions.length > 0);
  const rand = seededRandom(42);
  const items: ServiceItem[] = [];
  for (let k = 0; k < count; k++) {
    const base = guides[k % guides.length]!;
    const id = `${base.id}-syn-${k}`;
    items.push(k % 4 === 3 ? maximalGuide(base, id, rand) : { ...base, id });
  }
  return {
    ...sample,
    hash: `synthetic-${count}`,
    items,
    itemsById: new Map(items.map((i) => [i.id, i])),
    sourceFiles: new Map(items.map((i) => [i.id, `items/${i.theme}/${i.id}.yaml`])),
  };
}

async function load(dir: string): Promise<KnowledgeBase> {
  const r = await loadKnowledgeBase(dir, { validators: [] });
  if (!r.kb) throw new Error(`knowledge base ${dir} does not load:\n${formatIssues(r.issues)}`);
  return r.kb;
}

async function synthKb(from: string, count: number): Promise<KnowledgeBase> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-synth-'));
  try {
    await synthesizeKnowledgeBase({ from, out: path.join(out, 'kb'), items: count, seed: 1 });
    return await load(path.join(out, 'kb'));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function timeValidation(kb: KnowledgeBase): { seconds: number; guides: number; issues: number } {
  const t0 = performance.now();
  const issues = validateGuides(kb);
  return { seconds: (performance.now() - t0) / 1000, guides: kb.items.filter((i) => i.questions.length > 0).length, issues: issues.length };
}

export async function run(options: { items: number } = { items: 15000 }): Promise<Figures> {
  const from = process.env.KB_DIR ?? path.join(PROJECT_ROOT, 'knowledge-base');
  const sample = await load(from);
  const small = measureEvaluate(sample, 20_000, 1);
  const synth = await synthKb(from, options.items);
  const real = measureEvaluate(synth, 60_000, 2);
  const realValidation = timeValidation(synth);
  const stress = synthesise(sample, options.items);
  const hard = measureEvaluate(stress, 60_000, 3);
  const hardValidation = timeValidation(stress);
  return {
    'sample guides': sample.items.filter((i) => i.questions.length > 0).length,
    'evaluate p50, sample KB (ms)': small.p50,
    'evaluate p99, sample KB (ms)   target ≤ 2': small.p99,
    'kb:synth KB items': synth.items.length,
    'evaluate p50, kb:synth KB (ms)': real.p50,
    'evaluate p99, kb:synth KB (ms)   target ≤ 2': real.p99,
    'evaluate p99, first call per item (ms)': real.coldP99,
    [`validate ${realValidation.guides} kb:synth guides (s)   target ≤ 30`]: realValidation.seconds,
    'guide issues in kb:synth KB': realValidation.issues,
    'stress KB items (¼ maximal 4×4 guides)': stress.items.length,
    'evaluate p50, stress KB (ms)': hard.p50,
    'evaluate p99, stress KB (ms)': hard.p99,
    'evaluate p99, stress, first call per item (ms)': hard.coldP99,
    [`validate ${hardValidation.guides} stress guides (s)`]: hardValidation.seconds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '15000' } } });
  run({ items: Number(values.items) }).then(
    (f) => {
      for (const [k, v] of Object.entries(f)) console.log(`  ${k.padEnd(48)} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
