/**
 * Conversation records as the store last read or wrote them, for a store that sees every write to its database
 * (the embedded SQLite one, like its listings; PostgreSQL is shared by instances and reads afresh). One turn of
 * a conversation reads it four or five times between its writes (who answers, the state after the answer, ...);
 * here a read after a write costs nothing: the writes that change a conversation patch its record or forget it.
 * Records are frozen: callers share them.
 */
import type { ConversationRecord } from './handoff-store.ts';

/** Conversations kept (the oldest read goes first): a turn's reads fall within a few writes of each other. */
const MAX_RECORDS = 2_000;

export class ConversationRecords {
  private readonly byId = new Map<string, ConversationRecord>();
  /** A conversation's session never changes. */
  private readonly idBySession = new Map<string, string>();

  constructor(
    /** Reads a conversation from the database. */
    private readonly read: (id: string) => ConversationRecord | undefined,
    /** Reads a session's conversation from the database. */
    private readonly readBySession: (sessionId: string) => ConversationRecord | undefined,
  ) {}

  get(id: string): ConversationRecord | undefined {
    return this.byId.get(id) ?? this.remember(this.read(id));
  }

  bySession(sessionId: string): ConversationRecord | undefined {
    const id = this.idBySession.get(sessionId);
    return id === undefined ? this.remember(this.readBySession(sessionId)) : this.get(id);
  }

  /** A conversation was created as `record` (no read needed to know it). */
  created(record: ConversationRecord): ConversationRecord {
    return this.remember(record)!;
  }

  /** The conversation was written with these fields (the database now holds exactly them). */
  patch(id: string, fields: Partial<ConversationRecord>): void {
    const kept = this.byId.get(id);
    if (kept) this.byId.set(id, Object.freeze({ ...kept, ...fields }));
  }

  /** The conversation was written in a way the record cannot follow: read it again next time. */
  forget(id: string): void {
    this.byId.delete(id);
  }

  /** A write may not have been committed after all. */
  forgetAll(): void {
    this.byId.clear();
  }

  /** Keeps a record just read from the database. */
  private remember(record: ConversationRecord | undefined): ConversationRecord | undefined {
    if (!record) return undefined;
    keep(this.byId, record.id, freezeRecord(record));
    keep(this.idBySession, record.sessionId, record.id);
    return record;
  }
}

/** Freezes a record and its packet, so that callers can share it. */
export function freezeRecord(conv: ConversationRecord): ConversationRecord {
  if (conv.packet) Object.freeze(conv.packet);
  return Object.freeze(conv);
}

/** Sets `key` in a map of at most MAX_RECORDS entries, dropping the oldest entry when it is full. */
function keep<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_RECORDS && !map.has(key)) map.delete(map.keys().next().value!);
  map.set(key, value);
}
