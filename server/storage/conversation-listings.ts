/**
 * Conversation listings kept up to date by the writes, for a store that sees every write (the embedded SQLite
 * one; PostgreSQL is shared by instances and reads afresh). The queue is listed several times for each request
 * for a person (positions, waits, dispatch, the console's snapshot): read and decoded from SQLite each time, a
 * long queue cost every such request O(queue) rows, again and again. Here a write re-reads only the conversation
 * it changed, and only when a listing holds it or lists the state it may have entered.
 */
import { insertionIndex } from '../common/insertion-index.ts';
import type { ConversationFilter } from './handoff-sql.ts';
import { freezeRecord } from './conversation-records.ts';
import type { ConversationRecord, ConversationState } from './handoff-store.ts';

interface Listing {
  /** The filter's states (undefined: every state). */
  states: ReadonlySet<ConversationState> | undefined;
  navigatorId: string | undefined;
  /**
   * In the listing query's order: created_at, then id. Frozen and handed out as is: a write replaces it with an
   * updated copy, so a reader can tell by identity that nothing changed (Queue keeps its view on it).
   */
  rows: readonly ConversationRecord[];
  ids: Set<string>;
}

export class ConversationListings {
  private readonly listings = new Map<string, Listing>();

  /** `readOne` reads a conversation as it is now (undefined when there is none). */
  constructor(private readonly readOne: (id: string) => ConversationRecord | undefined) {}

  /**
   * The listing for `filter`: kept, or read with `read` the first time. The array and its records are frozen:
   * callers share them, and the same array comes back until a write changes the listing.
   */
  get(filter: ConversationFilter, read: () => ConversationRecord[]): readonly ConversationRecord[] {
    const key = JSON.stringify([filter.states ?? null, filter.navigatorId ?? null]);
    let listing = this.listings.get(key);
    if (!listing) {
      const rows = read().map(freezeRecord);
      listing = { states: filter.states && new Set(filter.states), navigatorId: filter.navigatorId, rows: Object.freeze(rows), ids: new Set(rows.map((r) => r.id)) };
      this.listings.set(key, listing);
    }
    return listing.rows;
  }

  /**
   * Conversation `id` was written. `state`: the state it may have entered (a new conversation, a transition);
   * omitted when the write cannot change the state.
   */
  changed(id: string, state?: ConversationState): void {
    let now: ConversationRecord | undefined | null = null; // null: not read yet
    for (const l of this.listings.values()) {
      if (!l.ids.has(id) && (state === undefined || (l.states && !l.states.has(state)))) continue;
      if (now === null) now = this.readOne(id);
      update(l, id, now && freezeRecord(now));
    }
  }
}

function matches(l: Listing, c: ConversationRecord): boolean {
  return (!l.states || l.states.has(c.state)) && (l.navigatorId === undefined || c.navigatorId === l.navigatorId);
}

function update(l: Listing, id: string, now: ConversationRecord | undefined): void {
  const rows = [...l.rows];
  if (l.ids.has(id)) {
    const i = rows.findIndex((r) => r.id === id);
    if (now && matches(l, now)) rows[i] = now;
    else {
      rows.splice(i, 1);
      l.ids.delete(id);
    }
  } else if (now && matches(l, now)) {
    rows.splice(insertionIndex(rows, now, byListingOrder), 0, now);
    l.ids.add(id);
  } else return;
  l.rows = Object.freeze(rows);
}

/** The order every store lists conversations in: created_at, then id. */
export function byListingOrder(a: ConversationRecord, b: ConversationRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
