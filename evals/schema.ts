/**
 * The eval datasets: one YAML file per theme or kind under evals/datasets/<split>/, each a list of cases.
 *
 * A case is a short conversation. Every turn says something and may state what the reply must be (status,
 * cited item, facts the answer must contain, clarify choices). A checklist case adds the answers the citizen
 * gives to the situational questions and the exact materials the finished checklist must list.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod/v4';
import { REPLY_STATUSES } from '../server/assistant/reply.ts';

export const SPLITS = ['dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export const CASE_KINDS = [
  /** One question, one answer from the expected item. */
  'single',
  /** A vague question the assistant must clarify; the citizen picks; the answer follows. */
  'clarify',
  /** Questions after the first one about the same item ("那要多久?"). */
  'follow-up',
  /** A situational checklist: the citizen answers the questions; the material list must be exact. */
  'checklist',
  /** Needs a person: explicit requests, personal records, complaints. */
  'handoff',
  /** Danger to life or property: point to 110/119/120, never a KB answer. */
  'emergency',
  /** Not a government-service question: say so, never a KB answer. */
  'out-of-scope',
  /**
   * A government-service question the knowledge base has no guide for (狗证, 施工许可): say so, ask which service
   * is meant, or offer a person; never an answer from another service.
   */
  'uncovered',
  /** Asks for help with fraud, forgery, evasion: refuse, never a KB answer. */
  'unsafe',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Kinds whose questions the knowledge base answers: the denominator of the resolution rate. */
export const IN_SCOPE_KINDS: readonly CaseKind[] = ['single', 'clarify', 'follow-up', 'checklist'];

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and hyphens');

/** A fact the answer must contain: a string, or alternatives of which one must occur ("免费" / "不收取费用"). */
export const Fact = z.union([z.string().min(1), z.array(z.string().min(1)).min(2)]);
export type Fact = z.infer<typeof Fact>;

export const TurnExpect = z.strictObject({
  /** The reply's status; a list accepts any of them. */
  status: z.union([z.enum(REPLY_STATUSES), z.array(z.enum(REPLY_STATUSES)).min(2)]),
  /** The service item the answer must cite (reply.item or an item citation). */
  item: Id.optional(),
  /** Facts the answer text must contain; each must occur in the item's (or FAQ's) fields. */
  facts: z.array(Fact).default([]),
  /** A general FAQ whose fields the facts come from (and which may be cited instead of the item). */
  faq: Id.optional(),
  /** For a clarify reply: items that must be among the offered choices. */
  options: z.array(Id).optional(),
  /** The reply's intent must start with this ("emergency", "personal-record", "aspect:fee"). */
  intent: z.string().min(1).optional(),
});
export type TurnExpect = z.infer<typeof TurnExpect>;

export const Turn = z
  .strictObject({
    /** What the citizen types. */
    say: z.string().min(1).optional(),
    /** Clicks a quick reply of the previous (clarify) reply: the option for this item is sent. */
    pick: Id.optional(),
    expect: TurnExpect.optional(),
  })
  .refine((t) => (t.say === undefined) !== (t.pick === undefined), { message: 'a turn either says something or picks an option' });
export type Turn = z.infer<typeof Turn>;

export const ChecklistExpect = z.strictObject({
  item: Id,
  /** The option the citizen chooses for each situational question the guide may ask (questionId → optionId). */
  answers: z.record(Id, Id),
  /** The ids of exactly the materials the finished checklist lists. */
  materials: z.array(Id).min(1),
});
export type ChecklistExpect = z.infer<typeof ChecklistExpect>;

export const EvalCase = z
  .strictObject({
    id: Id,
    kind: z.enum(CASE_KINDS),
    /** The KB theme the case is about, or "general" for kinds that belong to none. */
    theme: Id,
    /** Why the case is in the set: what it tests. */
    reason: z.string().min(4),
    lang: z.enum(['zh', 'en']).optional(),
    turns: z.array(Turn).min(1),
    checklist: ChecklistExpect.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'checklist' && !c.checklist) ctx.addIssue({ code: 'custom', message: 'a checklist case needs checklist', path: ['checklist'] });
    if (c.kind !== 'checklist' && c.checklist) ctx.addIssue({ code: 'custom', message: 'only checklist cases have checklist', path: ['checklist'] });
    if (c.kind !== 'checklist' && !c.turns.some((t) => t.expect)) ctx.addIssue({ code: 'custom', message: 'at least one turn needs expect', path: ['turns'] });
    if (c.turns[0]?.pick) ctx.addIssue({ code: 'custom', message: 'the first turn cannot pick an option', path: ['turns', 0] });
  });
export type EvalCase = z.infer<typeof EvalCase>;

export const CaseFile = z.array(EvalCase);

export interface LoadedCase extends EvalCase {
  split: Split;
  /** Path relative to the datasets root, for messages. */
  file: string;
}

export const DEFAULT_DATASETS_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'datasets');

export class DatasetError extends Error {}

/** Reads every case of the given splits; throws a DatasetError naming file and field on the first invalid file. */
export function loadCases(root: string = DEFAULT_DATASETS_DIR, splits: readonly Split[] = SPLITS): LoadedCase[] {
  const out: LoadedCase[] = [];
  for (const split of splits) {
    const dir = path.join(root, split);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      const file = `${split}/${name}`;
      let raw: unknown;
      try {
        raw = YAML.parse(fs.readFileSync(path.join(dir, name), 'utf8')) ?? [];
      } catch (err) {
        throw new DatasetError(`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      const parsed = CaseFile.safeParse(raw);
      if (!parsed.success) {
        const first = parsed.error.issues[0]!;
        throw new DatasetError(`${file}: ${first.path.join('.')}: ${first.message}`);
      }
      for (const c of parsed.data) out.push({ ...c, split, file });
    }
  }
  return out;
}
