/**
 * The active conversations as the queue sees them: each skill's waiting list in service order and each
 * navigator's load. Every request for a person changes the queue by one conversation; sorting the whole queue
 * again for each made a request cost O(n log n) in the queue's length. Here a new listing is compared with the
 * last one by identity (the embedded store hands back unchanged records as they were, both listings in
 * created_at, id order), and only what changed moves: a binary search into the lists of its skill.
 */
import { insertionIndex } from '../common/insertion-index.ts';
import { byListingOrder } from '../storage/conversation-listings.ts';
import type { ConversationRecord } from '../storage/handoff-store.ts';

export interface Arrangement {
  /** Queued and offered conversations per skill, in service order. */
  readonly bySkill: ReadonlyMap<string, readonly ConversationRecord[]>;
  /** Conversations held or offered per navigator. */
  readonly loads: ReadonlyMap<string, number>;
  /** Offered conversations per skill (each holds a slot that frees up as soon as the offer is taken or withdrawn). */
  readonly offered: ReadonlyMap<string, number>;
  /** The listing arranged (in created_at, id order). */
  readonly active: readonly ConversationRecord[];
}

/** Priority first, then rank (new arrivals at the back, requeued conversations at the front), then id. */
export function byServiceOrder(a: ConversationRecord, b: ConversationRecord): number {
  return b.priority - a.priority || (a.queueRank ?? 0) - (b.queueRank ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Where `c` goes in a list in service order. */
function servicePosition(list: readonly ConversationRecord[], c: ConversationRecord): number {
  return insertionIndex(list, c, byServiceOrder);
}

/**
 * Where conversation `c` is in a list in service order, -1 when absent: found by binary search where it sorts, or,
 * when the list holds another record of it (one that has moved since), by scanning.
 */
export function indexInServiceOrder(list: readonly ConversationRecord[], c: ConversationRecord): number {
  const at = servicePosition(list, c);
  return list[at]?.id === c.id ? at : list.findIndex((x) => x.id === c.id);
}

/** Beyond this share of the listing changed, arranging afresh costs less than moving each change. */
const MAX_CHANGED_SHARE = 1 / 8;

/** `active` arranged, reusing `prev` (the arrangement of an earlier listing) for what did not change. */
export function arrange(active: readonly ConversationRecord[], prev?: Arrangement): Arrangement {
  const diff = prev && changes(prev.active, active);
  if (!prev || !diff || diff.removed.length + diff.added.length > Math.max(8, active.length * MAX_CHANGED_SHARE)) return arrangeAfresh(active);
  const bySkill = new Map(prev.bySkill);
  const loads = new Map(prev.loads);
  const offered = new Map(prev.offered);
  const copied = new Set<string>();
  const listOf = (skill: string): ConversationRecord[] => {
    let list = bySkill.get(skill) as ConversationRecord[] | undefined;
    if (!copied.has(skill)) {
      list = list ? [...list] : [];
      bySkill.set(skill, list);
      copied.add(skill);
    }
    return list!;
  };
  for (const c of diff.removed) {
    if (isWaiting(c)) {
      const list = listOf(c.skill);
      list.splice(indexInServiceOrder(list, c), 1);
    }
    tally(c, -1, offered, loads);
  }
  for (const c of diff.added) {
    if (isWaiting(c)) {
      const list = listOf(c.skill);
      list.splice(servicePosition(list, c), 0, c);
    }
    tally(c, 1, offered, loads);
  }
  for (const skill of copied) if (!bySkill.get(skill)!.length) bySkill.delete(skill);
  return { bySkill, loads, offered, active };
}

function arrangeAfresh(active: readonly ConversationRecord[]): Arrangement {
  const bySkill = new Map<string, ConversationRecord[]>();
  const loads = new Map<string, number>();
  const offered = new Map<string, number>();
  for (const c of active) {
    if (isWaiting(c)) {
      const list = bySkill.get(c.skill) ?? [];
      list.push(c);
      bySkill.set(c.skill, list);
    }
    tally(c, 1, offered, loads);
  }
  for (const list of bySkill.values()) list.sort(byServiceOrder);
  return { bySkill, loads, offered, active };
}

/** Counts `c` in (by 1) or out (by -1) of its skill's offers and its holder's load. */
function tally(c: ConversationRecord, by: 1 | -1, offered: Map<string, number>, loads: Map<string, number>): void {
  if (c.state === 'offered') count(offered, c.skill, by);
  const holder = holderOf(c);
  if (holder) count(loads, holder, by);
}

/** Adds `by` to a count (a count that reaches zero leaves the map). */
function count(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

function isWaiting(c: ConversationRecord): boolean {
  return c.state === 'queued' || c.state === 'offered';
}

function holderOf(c: ConversationRecord): string | null {
  return c.state === 'offered' ? c.offeredTo : c.state === 'queued' ? null : c.navigatorId;
}

/** The records of `before` not in `after` and those of `after` not in `before`, both in created_at, id order; undefined when out of order. */
function changes(before: readonly ConversationRecord[], after: readonly ConversationRecord[]): { removed: ConversationRecord[]; added: ConversationRecord[] } | undefined {
  const removed: ConversationRecord[] = [];
  const added: ConversationRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const b = before[i];
    const a = after[j];
    if (b === a) {
      i++;
      j++;
      continue;
    }
    const order = !b ? 1 : !a ? -1 : byListingOrder(b, a);
    if (order === 0) {
      removed.push(b!);
      added.push(a!);
      i++;
      j++;
    } else if (order < 0) removed.push(before[i++]!);
    else added.push(after[j++]!);
  }
  return inListingOrder(after) ? { removed, added } : undefined;
}

/** Each store lists in created_at, id order; a listing in any other would make the comparison wrong. */
function inListingOrder(list: readonly ConversationRecord[]): boolean {
  for (let k = 1; k < list.length; k++) if (byListingOrder(list[k - 1]!, list[k]!) >= 0) return false;
  return true;
}
