/**
 * The queue moves only what changed from one listing to the next: it must come out exactly as arranging the new
 * listing afresh would, and leave the arrangement it started from as it was (views handed out earlier share it).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.ts';
import type { ConversationRecord, ConversationState } from '../storage/handoff-store.ts';
import { arrange, type Arrangement } from './queue-arrangement.ts';

const STATES: ConversationState[] = ['queued', 'queued', 'offered', 'with-navigator', 'wrap-up'];
const SKILLS = ['general', 'public-security', 'social-security'];
const NAVIGATORS = ['n1', 'n2', 'n3'];

function plain(a: Arrangement) {
  return {
    bySkill: Object.fromEntries([...a.bySkill].filter(([, l]) => l.length).map(([k, l]) => [k, l.map((c) => c.id)]).sort()),
    loads: Object.fromEntries([...a.loads].sort()),
    offered: Object.fromEntries([...a.offered].sort()),
  };
}

describe('queue arrangement', () => {
  it.each([0, 4, 60])('arranges a changed listing exactly as afresh, leaving the earlier arrangement untouched (%i at first)', (size) => {
    const rand = seededRandom(7 + size);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    let serial = 0;
    const record = (over: Partial<ConversationRecord> = {}): ConversationRecord => {
      const n = serial++;
      return Object.freeze({
        id: `c_${String(Math.floor(rand() * 1e6)).padStart(6, '0')}${n}`, sessionId: `s${n}`, state: pick(STATES), lang: 'zh', itemId: null,
        skill: pick(SKILLS), priority: rand() < 0.2 ? 1 : 0, queueRank: Math.floor(rand() * 50), navigatorId: pick(NAVIGATORS),
        offeredTo: pick(NAVIGATORS), offerExpiresAt: null, packet: null, lastSeq: 0, citizenReadSeq: 0, navigatorReadSeq: 0, version: 0,
        createdAt: Math.floor(rand() * 1000), updatedAt: 0, queuedAt: null, stateSince: 0, citizenSocketAt: null, ...over,
      } as ConversationRecord);
    };
    const inListingOrder = (list: ConversationRecord[]) =>
      list.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    let listing = inListingOrder(Array.from({ length: size }, () => record()));
    let current = arrange(listing);
    let incremental = 0;
    let emptied = 0; // steps that emptied a skill's list
    for (let step = 0; step < 400; step++) {
      const next = [...listing];
      const edits = rand() < 0.1 ? 20 : 1 + Math.floor(rand() * 3); // now and then more than the incremental share
      for (let e = 0; e < edits; e++) {
        const r = rand();
        if (r < 0.35 + (next.length < size / 2 ? 0.1 : 0) || !next.length) next.push(record());
        else if (r < 0.65) next.splice(Math.floor(rand() * next.length), 1);
        else {
          // the same conversation written: a new record (another state, priority, rank or holder)
          const k = Math.floor(rand() * next.length);
          const old = next[k]!;
          next[k] = Object.freeze({ ...old, state: pick(STATES), priority: rand() < 0.2 ? 1 : 0, queueRank: Math.floor(rand() * 50), offeredTo: pick(NAVIGATORS) });
        }
      }
      inListingOrder(next);
      const before = plain(current);
      const arranged = arrange(next, current);
      expect(plain(arranged)).toEqual(plain(arrange(next)));
      for (const list of arranged.bySkill.values()) expect(list.length).toBeGreaterThan(0);
      expect(plain(current)).toEqual(before);
      if (edits < 8) incremental++;
      if ([...current.bySkill.keys()].some((k) => !arranged.bySkill.has(k))) emptied++;
      listing = next;
      current = arranged;
    }
    expect(incremental).toBeGreaterThan(300);
    if (size < 10) expect(emptied).toBeGreaterThan(0);
  });

  it('arranges afresh a listing in another order than the store lists', () => {
    const a = { id: 'a', state: 'queued', skill: 'general', priority: 0, queueRank: 2, createdAt: 2 } as ConversationRecord;
    const b = { id: 'b', state: 'queued', skill: 'general', priority: 0, queueRank: 1, createdAt: 1 } as ConversationRecord;
    const first = arrange([b]);
    expect(arrange([a, b], first).bySkill.get('general')?.map((c) => c.id)).toEqual(['b', 'a']);
  });
});
