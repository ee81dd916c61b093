/**
 * The embedded HandoffStore: better-sqlite3 in the data directory. The SQL sticks to what PostgreSQL also
 * accepts (TEXT/INTEGER/BIGINT, ON CONFLICT, RETURNING) so the scale-out implementation can reuse it.
 */
import type Database from 'better-sqlite3';
import { ConversationListings } from './conversation-listings.ts';
import { ConversationRecords } from './conversation-records.ts';
import { closeSqlite, groupCommit, type GroupCommit } from './group-commit.ts';
import { migrate, openSqlite, type Migration, type SqliteDatabase } from './sqlite.ts';
import {
  toConversation, toEvent, toHandling, toMessage, toNavigator, toNote, toRating, toTicket, str, type Row,
} from './handoff-rows.ts';
import {
  conversationListQuery, patchAssignments, ticketDay, ticketListQuery, type ConversationFilter, type OneOf, type TicketFilter,
} from './handoff-sql.ts';
import {
  newConversationRecord,
  type CannedReplyRecord, type ConversationPatch, type ConversationRecord, type EventRecord, type HandlingRecord, type HandoffStore,
  type MessageRecord, type NavigatorRecord, type NewConversation, type NewMessage, type NewTicket, type NoteRecord, type RatingRecord,
  type SessionRecord, type TicketRecord, type TransitionInput,
} from './handoff-store.ts';

export const HANDOFF_MIGRATIONS: readonly Migration[] = [
  {
    name: 'handoff-001-core',
    sql: `
      CREATE TABLE navigators (
        id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT NOT NULL,
        role TEXT NOT NULL, skills TEXT NOT NULL, capacity INTEGER NOT NULL, active INTEGER NOT NULL DEFAULT 1,
        created_at BIGINT NOT NULL);
      CREATE TABLE navigator_sessions (
        token_hash TEXT PRIMARY KEY, navigator_id TEXT NOT NULL REFERENCES navigators(id),
        created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, lang TEXT NOT NULL, item_id TEXT,
        skill TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0, queue_rank BIGINT, navigator_id TEXT, offered_to TEXT,
        offer_expires_at BIGINT, packet TEXT, last_seq INTEGER NOT NULL DEFAULT 0,
        citizen_read_seq INTEGER NOT NULL DEFAULT 0, navigator_read_seq INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        queued_at BIGINT, state_since BIGINT NOT NULL);
      CREATE INDEX conversations_state ON conversations (state);
      CREATE INDEX conversations_navigator ON conversations (navigator_id);
      CREATE TABLE messages (
        conversation_id TEXT NOT NULL REFERENCES conversations(id), seq INTEGER NOT NULL, client_key TEXT,
        sender TEXT NOT NULL, client_id TEXT, author_id TEXT, author_name TEXT, text TEXT NOT NULL, data TEXT,
        reply_to INTEGER, created_at BIGINT NOT NULL, PRIMARY KEY (conversation_id, seq));
      CREATE UNIQUE INDEX messages_client_key ON messages (conversation_id, client_key);
      CREATE INDEX messages_reply_to ON messages (conversation_id, reply_to);
      CREATE TABLE conversation_events (
        conversation_id TEXT NOT NULL REFERENCES conversations(id), version INTEGER NOT NULL,
        from_state TEXT NOT NULL, to_state TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL, data TEXT,
        at BIGINT NOT NULL, PRIMARY KEY (conversation_id, version));
      CREATE TABLE notes (
        id TEXT NOT NULL, conversation_id TEXT NOT NULL REFERENCES conversations(id), navigator_id TEXT NOT NULL,
        author_name TEXT NOT NULL, text TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (conversation_id, id));
      CREATE TABLE handlings (
        id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id), navigator_id TEXT NOT NULL,
        skill TEXT NOT NULL, accepted_at BIGINT NOT NULL, ended_at BIGINT, outcome TEXT, wrap_code TEXT, wrap_note TEXT);
      CREATE INDEX handlings_conversation ON handlings (conversation_id, accepted_at);
      CREATE INDEX handlings_ended ON handlings (ended_at);
      CREATE TABLE ratings (
        handling_id TEXT PRIMARY KEY REFERENCES handlings(id), conversation_id TEXT NOT NULL, navigator_id TEXT NOT NULL,
        score TEXT NOT NULL, comment TEXT, created_at BIGINT NOT NULL);
      CREATE TABLE tickets (
        id TEXT PRIMARY KEY, ref TEXT NOT NULL UNIQUE, conversation_id TEXT, status TEXT NOT NULL, name TEXT, phone TEXT,
        email TEXT, question TEXT NOT NULL, department_id TEXT, skill TEXT NOT NULL, summary TEXT, claimed_by TEXT,
        claimed_at BIGINT, closed_at BIGINT, close_note TEXT, created_at BIGINT NOT NULL);
      CREATE INDEX tickets_status ON tickets (status, created_at);
      CREATE TABLE ticket_counters (day TEXT PRIMARY KEY, n INTEGER NOT NULL);
      CREATE TABLE canned_replies (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, skill TEXT, updated_at BIGINT NOT NULL, updated_by TEXT);
    `,
  },
  {
    // Handlings of one conversation in the order they began (timestamps can tie).
    name: 'handoff-002-handling-ordinal',
    sql: 'ALTER TABLE handlings ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0',
  },
  {
    // One-time steps already taken (claimOnce).
    name: 'handoff-003-once',
    sql: 'CREATE TABLE once_steps (name TEXT PRIMARY KEY, at BIGINT NOT NULL)',
  },
  {
    // When a citizen socket first joined (restart recovery tracks only citizens who had one).
    name: 'handoff-004-citizen-socket',
    sql: 'ALTER TABLE conversations ADD COLUMN citizen_socket_at BIGINT',
  },
];

/** SQLite's "column is one of": a placeholder per value. */
const oneOf: OneOf = (column, values) => ({ clause: `${column} IN (${values.map(() => '?').join(', ')})`, values: [...values] });

export class SqliteHandoffStore implements HandoffStore {
  readonly db: SqliteDatabase;
  private readonly ownsDb: boolean;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly transactions = new Map<string, Database.Transaction<(...args: never[]) => unknown>>();
  private readonly writes: GroupCommit;
  /** Records and listings kept between writes: this store sees every write to its database. */
  private readonly records = new ConversationRecords(
    (id) => this.readConversation('SELECT * FROM conversations WHERE id = ?', id),
    (sessionId) => this.readConversation('SELECT * FROM conversations WHERE session_id = ?', sessionId),
  );
  private readonly listings = new ConversationListings((id) => this.conv(id));
  /**
   * Recent handling times per query, kept until a handling ends (the only write that changes them): every wait
   * estimate reads them, and with nobody online a queue's worth of requests for a person read them again and again.
   */
  private readonly handleTimes = new Map<string, readonly number[]>();

  constructor(db: SqliteDatabase, ownsDb = false) {
    this.db = db;
    this.ownsDb = ownsDb;
    migrate(db, HANDOFF_MIGRATIONS);
    this.writes = groupCommit(db);
  }

  /** Prepared once per SQL text (preparing costs more than running a small statement). */
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** A transaction function built once per name; it runs with BEGIN IMMEDIATE (writers queue instead of failing). */
  private tx<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
    let t = this.transactions.get(name) as Database.Transaction<(...args: A) => R> | undefined;
    if (!t) {
      t = this.db.transaction(fn);
      this.transactions.set(name, t as unknown as Database.Transaction<(...args: never[]) => unknown>);
    }
    return (...args: A) => t!.immediate(...args);
  }

  /** Opens daoban.db in the data directory (":memory:" for a throwaway store). */
  static open(dataDir: string): SqliteHandoffStore {
    return new SqliteHandoffStore(openSqlite(dataDir), true);
  }

  private conv(id: string): ConversationRecord | undefined {
    return this.records.get(id);
  }

  private readConversation(sql: string, key: string): ConversationRecord | undefined {
    const r = this.stmt(sql).get(key) as Row | undefined;
    return r ? toConversation(r) : undefined;
  }

  /** A group-committed write; one whose commit failed may have left records the database does not hold. */
  private write<R>(fn: () => R): Promise<R> {
    return this.writes.run(fn).catch((err: unknown) => {
      this.records.forgetAll();
      throw err;
    });
  }

  async createConversation(c: NewConversation): Promise<ConversationRecord> {
    return this.write(() => {
      this
        .stmt(
          `INSERT INTO conversations (id, session_id, state, lang, skill, created_at, updated_at, state_since, citizen_socket_at)
           VALUES (?, ?, 'bot', ?, ?, ?, ?, ?, ?)`,
        )
        .run(c.id, c.sessionId, c.lang, c.skill, c.createdAt, c.createdAt, c.createdAt, c.citizenSocketAt ?? null);
      const created = this.records.created(newConversationRecord(c));
      this.listings.changed(c.id, 'bot');
      return created;
    });
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.conv(id);
  }

  async getConversationBySession(sessionId: string): Promise<ConversationRecord | undefined> {
    return this.records.bySession(sessionId);
  }

  async listConversations(filter: ConversationFilter): Promise<readonly ConversationRecord[]> {
    const q = conversationListQuery(filter, oneOf);
    return q ? this.listings.get(filter, () => (this.stmt(q.sql).all(...q.values) as Row[]).map(toConversation)) : [];
  }

  async transition(id: string, expectedVersion: number, change: TransitionInput): Promise<ConversationRecord | undefined> {
    return this.tx('transition', (id: string, expectedVersion: number, change: TransitionInput): ConversationRecord | undefined => {
      const before = this.conv(id);
      if (!before || before.version !== expectedVersion) return undefined;
      const { sets, values } = patchAssignments(change.patch ?? {});
      const version = expectedVersion + 1;
      const res = this.stmt(
        `UPDATE conversations SET state = ?, version = ?, updated_at = ?,
           state_since = CASE WHEN state = ? THEN state_since ELSE ? END${sets.length ? `, ${sets.join(', ')}` : ''}
         WHERE id = ? AND version = ?`,
      ).run(change.to, version, change.at, change.to, change.at, ...values, id, expectedVersion);
      if (res.changes !== 1) return undefined;
      this.records.forget(id);
      this.listings.changed(id, change.to);
      this.stmt(
        `INSERT INTO conversation_events (conversation_id, version, from_state, to_state, actor, reason, data, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, version, before.state, change.to, change.actor, change.reason,
        change.data === undefined ? null : JSON.stringify(change.data), change.at);
      return this.conv(id);
    })(id, expectedVersion, change);
  }

  async updateConversation(id: string, patch: Pick<ConversationPatch, 'lang' | 'itemId' | 'skill'>, at: number): Promise<void> {
    const { sets, values } = patchAssignments(patch);
    if (!sets.length) return;
    await this.write(() => {
      this.stmt(`UPDATE conversations SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...values, at, id);
      this.records.patch(id, { ...definedFields(patch), updatedAt: at });
      this.listings.changed(id);
    });
  }

  async markRead(id: string, side: 'citizen' | 'navigator', seq: number): Promise<number> {
    const column = side === 'citizen' ? 'citizen_read_seq' : 'navigator_read_seq';
    const r = this
      .stmt(
        `UPDATE conversations SET ${column} = CASE WHEN ${column} < ? THEN (CASE WHEN ? < last_seq THEN ? ELSE last_seq END) ELSE ${column} END
         WHERE id = ? RETURNING ${column} AS mark`,
      )
      .get(seq, seq, seq, id) as { mark: number } | undefined;
    if (r) this.records.patch(id, side === 'citizen' ? { citizenReadSeq: Number(r.mark) } : { navigatorReadSeq: Number(r.mark) });
    this.listings.changed(id);
    return r ? Number(r.mark) : 0;
  }

  async markCitizenSocket(id: string, at: number): Promise<void> {
    await this.write(() => {
      const res = this.stmt('UPDATE conversations SET citizen_socket_at = ? WHERE id = ? AND citizen_socket_at IS NULL').run(at, id);
      if (res.changes === 1) this.records.patch(id, { citizenSocketAt: at });
      this.listings.changed(id);
    });
  }

  async listEvents(conversationId: string): Promise<EventRecord[]> {
    const rows = this.stmt('SELECT * FROM conversation_events WHERE conversation_id = ? ORDER BY version').all(conversationId) as Row[];
    return rows.map(toEvent);
  }

  /** Group-committed (GroupCommit): the promise resolves after the commit, so an ack sent on resolution is durable. */
  async appendMessage(m: NewMessage): Promise<{ message: MessageRecord; duplicate: boolean }> {
    return this.write(() => this.appendOne(m));
  }

  /** One append, in its own savepoint of the group transaction. */
  private appendOne(m: NewMessage): { message: MessageRecord; duplicate: boolean } {
    const clientKey = m.clientId ? `${m.sender}:${m.authorId ?? ''}:${m.clientId}` : null;
    const data = m.data === undefined ? null : JSON.stringify(m.data);
    // Insert at last_seq + 1 unless this clientId is already stored; only then advance last_seq.
    const inserted = this.stmt(
      `INSERT INTO messages (conversation_id, seq, client_key, sender, client_id, author_id, author_name, text, data, reply_to, created_at)
       SELECT id, last_seq + 1, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM conversations WHERE id = ?
       ON CONFLICT (conversation_id, client_key) DO NOTHING RETURNING seq`,
    ).get(clientKey, m.sender, m.clientId ?? null, m.authorId ?? null, m.authorName ?? null, m.text, data, m.replyTo ?? null, m.createdAt, m.conversationId) as { seq: number } | undefined;
    if (!inserted) {
      const existing = clientKey
        ? (this.stmt('SELECT * FROM messages WHERE conversation_id = ? AND client_key = ?').get(m.conversationId, clientKey) as Row | undefined)
        : undefined;
      if (existing) return { message: toMessage(existing), duplicate: true };
      throw new Error(`conversation ${m.conversationId} does not exist`);
    }
    this.stmt('UPDATE conversations SET last_seq = ?, updated_at = ? WHERE id = ?').run(inserted.seq, m.createdAt, m.conversationId);
    this.records.patch(m.conversationId, { lastSeq: inserted.seq, updatedAt: m.createdAt });
    this.listings.changed(m.conversationId);
    const message: MessageRecord = {
      conversationId: m.conversationId, seq: inserted.seq, sender: m.sender, clientId: m.clientId ?? null, authorId: m.authorId ?? null,
      authorName: m.authorName ?? null, text: m.text, data: data === null ? null : JSON.parse(data), replyTo: m.replyTo ?? null, createdAt: m.createdAt,
    };
    return { message, duplicate: false };
  }

  async listMessages(conversationId: string, afterSeq = 0, limit = 1000): Promise<MessageRecord[]> {
    const rows = this
      .stmt('SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(conversationId, afterSeq, limit) as Row[];
    return rows.map(toMessage);
  }

  async findReply(conversationId: string, replyTo: number): Promise<MessageRecord | undefined> {
    const r = this
      .stmt("SELECT * FROM messages WHERE conversation_id = ? AND reply_to = ? AND sender = 'bot' ORDER BY seq LIMIT 1")
      .get(conversationId, replyTo) as Row | undefined;
    return r ? toMessage(r) : undefined;
  }

  async addNote(n: NoteRecord): Promise<{ note: NoteRecord; duplicate: boolean }> {
    const res = this
      .stmt(
        `INSERT INTO notes (id, conversation_id, navigator_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id, id) DO NOTHING`,
      )
      .run(n.id, n.conversationId, n.navigatorId, n.authorName, n.text, n.createdAt);
    const r = this.stmt('SELECT * FROM notes WHERE conversation_id = ? AND id = ?').get(n.conversationId, n.id) as Row;
    return { note: toNote(r), duplicate: res.changes === 0 };
  }

  async listNotes(conversationId: string): Promise<NoteRecord[]> {
    return (this.stmt('SELECT * FROM notes WHERE conversation_id = ? ORDER BY created_at, id').all(conversationId) as Row[]).map(toNote);
  }

  async startHandling(h: Pick<HandlingRecord, 'id' | 'conversationId' | 'navigatorId' | 'skill' | 'acceptedAt'>): Promise<void> {
    this
      .stmt(
        `INSERT INTO handlings (id, conversation_id, navigator_id, skill, accepted_at, ordinal)
         SELECT ?, ?, ?, ?, ?, COALESCE(MAX(ordinal), 0) + 1 FROM handlings WHERE conversation_id = ?`,
      )
      .run(h.id, h.conversationId, h.navigatorId, h.skill, h.acceptedAt, h.conversationId);
  }

  async endHandling(id: string, end: { endedAt: number; outcome: string; wrapCode?: string; wrapNote?: string }): Promise<void> {
    this
      .stmt('UPDATE handlings SET ended_at = ?, outcome = ?, wrap_code = ?, wrap_note = ? WHERE id = ? AND ended_at IS NULL')
      .run(end.endedAt, end.outcome, end.wrapCode ?? null, end.wrapNote ?? null, id);
    this.handleTimes.clear();
  }

  async openHandling(conversationId: string): Promise<HandlingRecord | undefined> {
    const r = this
      .stmt('SELECT * FROM handlings WHERE conversation_id = ? AND ended_at IS NULL ORDER BY ordinal DESC LIMIT 1')
      .get(conversationId) as Row | undefined;
    return r ? toHandling(r) : undefined;
  }

  async lastHandling(conversationId: string): Promise<HandlingRecord | undefined> {
    const r = this
      .stmt('SELECT * FROM handlings WHERE conversation_id = ? ORDER BY ordinal DESC LIMIT 1')
      .get(conversationId) as Row | undefined;
    return r ? toHandling(r) : undefined;
  }

  async recentHandleTimes(limit: number, skill?: string): Promise<number[]> {
    const key = JSON.stringify([limit, skill ?? null]);
    let times = this.handleTimes.get(key);
    if (!times) this.handleTimes.set(key, (times = this.readHandleTimes(limit, skill)));
    return [...times];
  }

  private readHandleTimes(limit: number, skill?: string): number[] {
    const rows = (skill
      ? this.stmt('SELECT ended_at - accepted_at AS d FROM handlings WHERE ended_at IS NOT NULL AND skill = ? ORDER BY ended_at DESC LIMIT ?').all(skill, limit)
      : this.stmt('SELECT ended_at - accepted_at AS d FROM handlings WHERE ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?').all(limit)) as Array<{ d: number }>;
    return rows.map((r) => Number(r.d));
  }

  async addRating(r: RatingRecord): Promise<boolean> {
    const res = this
      .stmt(
        `INSERT INTO ratings (handling_id, conversation_id, navigator_id, score, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (handling_id) DO NOTHING`,
      )
      .run(r.handlingId, r.conversationId, r.navigatorId, r.score, r.comment, r.createdAt);
    return res.changes === 1;
  }

  async getRating(handlingId: string): Promise<RatingRecord | undefined> {
    const r = this.stmt('SELECT * FROM ratings WHERE handling_id = ?').get(handlingId) as Row | undefined;
    return r ? toRating(r) : undefined;
  }

  async listRatings(conversationId: string): Promise<RatingRecord[]> {
    return (this.stmt('SELECT * FROM ratings WHERE conversation_id = ? ORDER BY created_at').all(conversationId) as Row[]).map(toRating);
  }

  async createTicket(t: NewTicket): Promise<TicketRecord> {
    return this.tx('createTicket', (t: NewTicket): TicketRecord => {
      const day = ticketDay(t.createdAt);
      const { n } = this.stmt('INSERT INTO ticket_counters (day, n) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET n = ticket_counters.n + 1 RETURNING n')
        .get(day) as { n: number };
      const ref = `LY${day}-${String(n).padStart(4, '0')}`;
      this.stmt(
        `INSERT INTO tickets (id, ref, conversation_id, status, name, phone, email, question, department_id, skill, summary, created_at)
         VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(t.id, ref, t.conversationId, t.name, t.phone, t.email, t.question, t.departmentId, t.skill, t.summary, t.createdAt);
      return toTicket(this.stmt('SELECT * FROM tickets WHERE id = ?').get(t.id) as Row);
    })(t);
  }

  async getTicket(id: string): Promise<TicketRecord | undefined> {
    const r = this.stmt('SELECT * FROM tickets WHERE id = ?').get(id) as Row | undefined;
    return r ? toTicket(r) : undefined;
  }

  async listTickets(filter: TicketFilter): Promise<TicketRecord[]> {
    const q = ticketListQuery(filter, oneOf);
    return q ? (this.stmt(q.sql).all(...q.values) as Row[]).map(toTicket) : [];
  }

  async claimTicket(id: string, navigatorId: string, at: number): Promise<TicketRecord | undefined> {
    const r = this
      .stmt("UPDATE tickets SET status = 'claimed', claimed_by = ?, claimed_at = ? WHERE id = ? AND status = 'open' RETURNING *")
      .get(navigatorId, at, id) as Row | undefined;
    return r ? toTicket(r) : undefined;
  }

  async closeTicket(id: string, note: string | null, at: number): Promise<TicketRecord | undefined> {
    const r = this
      .stmt("UPDATE tickets SET status = 'closed', closed_at = ?, close_note = ? WHERE id = ? AND status <> 'closed' RETURNING *")
      .get(at, note, id) as Row | undefined;
    return r ? toTicket(r) : undefined;
  }

  async listCanned(): Promise<CannedReplyRecord[]> {
    return (this.stmt('SELECT * FROM canned_replies ORDER BY title, id').all() as Row[]).map((r) => ({
      id: String(r.id), title: String(r.title), text: String(r.text), skill: str(r.skill), updatedAt: Number(r.updated_at), updatedBy: str(r.updated_by),
    }));
  }

  async saveCanned(r: CannedReplyRecord): Promise<void> {
    this
      .stmt(
        `INSERT INTO canned_replies (id, title, text, skill, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text, skill = excluded.skill,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(r.id, r.title, r.text, r.skill, r.updatedAt, r.updatedBy);
  }

  async deleteCanned(id: string): Promise<boolean> {
    return this.stmt('DELETE FROM canned_replies WHERE id = ?').run(id).changes === 1;
  }

  async claimOnce(name: string, at: number): Promise<boolean> {
    return this.stmt('INSERT INTO once_steps (name, at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, at).changes === 1;
  }

  async createNavigator(n: NavigatorRecord): Promise<void> {
    this
      .stmt(
        `INSERT INTO navigators (id, username, name, password_hash, role, skills, capacity, active, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(n.id, n.username, n.name, n.passwordHash, n.role, JSON.stringify(n.skills), n.capacity, n.active ? 1 : 0, n.createdAt);
  }

  async updateNavigator(id: string, patch: Partial<Pick<NavigatorRecord, 'name' | 'passwordHash' | 'role' | 'skills' | 'capacity' | 'active'>>): Promise<void> {
    const cols: Record<string, string> = { name: 'name', passwordHash: 'password_hash', role: 'role', skills: 'skills', capacity: 'capacity', active: 'active' };
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      sets.push(`${cols[k]} = ?`);
      values.push(k === 'skills' ? JSON.stringify(v) : k === 'active' ? (v ? 1 : 0) : v);
    }
    if (sets.length) this.stmt(`UPDATE navigators SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  async getNavigator(id: string): Promise<NavigatorRecord | undefined> {
    const r = this.stmt('SELECT * FROM navigators WHERE id = ?').get(id) as Row | undefined;
    return r ? toNavigator(r) : undefined;
  }

  async getNavigatorByUsername(username: string): Promise<NavigatorRecord | undefined> {
    const r = this.stmt('SELECT * FROM navigators WHERE username = ?').get(username) as Row | undefined;
    return r ? toNavigator(r) : undefined;
  }

  async listNavigators(): Promise<NavigatorRecord[]> {
    return (this.stmt('SELECT * FROM navigators ORDER BY username').all() as Row[]).map(toNavigator);
  }

  async createSession(tokenHash: string, s: SessionRecord): Promise<void> {
    this
      .stmt('INSERT INTO navigator_sessions (token_hash, navigator_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, s.navigatorId, s.createdAt, s.expiresAt);
  }

  async getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const r = this.stmt('SELECT * FROM navigator_sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return r ? { navigatorId: String(r.navigator_id), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) } : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt('DELETE FROM navigator_sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.stmt('DELETE FROM navigator_sessions WHERE expires_at <= ?').run(now).changes;
  }

  async close(): Promise<void> {
    if (this.ownsDb) closeSqlite(this.db);
    else this.writes.flush();
  }
}

/** The fields a patch sets (an undefined field is left as it is, as patchAssignments leaves its column). */
function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
