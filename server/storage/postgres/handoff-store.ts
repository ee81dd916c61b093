/**
 * The HandoffStore on PostgreSQL, for several service instances sharing one database. Same tables and
 * behaviour as the SQLite store; concurrency comes from row locks instead of a single writer:
 * transitions lock the conversation row (SELECT ... FOR UPDATE) and compare its version, so of two
 * instances claiming one conversation exactly one wins; appends (group-committed) bump last_seq under the
 * same row lock, so seq stays gap-free and a repeated clientId is found instead of stored twice.
 */
import type {
  CannedReplyRecord, ConversationPatch, ConversationRecord, EventRecord, HandlingRecord, HandoffStore,
  MessageRecord, NavigatorRecord, NewConversation, NewMessage, NewTicket, NoteRecord, RatingRecord, SessionRecord, TicketRecord,
  TransitionInput,
} from '../handoff-store.ts';
import {
  conversationListQuery, patchAssignments, ticketDay, ticketListQuery, type ConversationFilter, type OneOf, type TicketFilter,
} from '../handoff-sql.ts';
import { HANDOFF_MIGRATIONS } from '../sqlite-handoff-store.ts';
import {
  toConversation, toEvent, toHandling, toMessage, toNavigator, toNote, toRating, toTicket, str, type Row,
} from '../handoff-rows.ts';
import { MessageAppender } from './message-appends.ts';
import { migratePg, query, queryOne, Rollback, transactionOrRollback, type PgPool } from './pool.ts';

/** PostgreSQL's "column is one of": one array parameter. */
const oneOf: OneOf = (column, values) => ({ clause: `${column} = ANY(?::text[])`, values: [[...values]] });

export class PostgresHandoffStore implements HandoffStore {
  private readonly appender: MessageAppender;

  private constructor(readonly pool: PgPool, private readonly ownsPool: boolean) {
    this.appender = new MessageAppender(pool);
  }

  /** Applies the handoff migrations (once across instances) and returns the store. */
  static async open(pool: PgPool, ownsPool = false): Promise<PostgresHandoffStore> {
    await migratePg(pool, HANDOFF_MIGRATIONS);
    return new PostgresHandoffStore(pool, ownsPool);
  }

  async createConversation(c: NewConversation): Promise<ConversationRecord> {
    const r = await queryOne(this.pool,
      `INSERT INTO conversations (id, session_id, state, lang, skill, created_at, updated_at, state_since, citizen_socket_at)
       VALUES (?, ?, 'bot', ?, ?, ?, ?, ?, ?) RETURNING *`,
      [c.id, c.sessionId, c.lang, c.skill, c.createdAt, c.createdAt, c.createdAt, c.citizenSocketAt ?? null]);
    return toConversation(r!);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM conversations WHERE id = ?', [id]);
    return r ? toConversation(r) : undefined;
  }

  async getConversationBySession(sessionId: string): Promise<ConversationRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM conversations WHERE session_id = ?', [sessionId]);
    return r ? toConversation(r) : undefined;
  }

  async listConversations(filter: ConversationFilter): Promise<ConversationRecord[]> {
    const q = conversationListQuery(filter, oneOf);
    return q ? (await query(this.pool, q.sql, q.values)).map(toConversation) : [];
  }

  async transition(id: string, expectedVersion: number, change: TransitionInput): Promise<ConversationRecord | undefined> {
    return transactionOrRollback(this.pool, async (tx) => {
      const before = await queryOne<{ state: string; version: number }>(tx, 'SELECT state, version FROM conversations WHERE id = ? FOR UPDATE', [id]);
      if (!before || Number(before.version) !== expectedVersion) throw new Rollback(undefined);
      const { sets, values } = patchAssignments(change.patch ?? {});
      const version = expectedVersion + 1;
      const after = await queryOne(tx,
        `UPDATE conversations SET state = ?, version = ?, updated_at = ?,
           state_since = CASE WHEN state = ? THEN state_since ELSE ? END${sets.length ? `, ${sets.join(', ')}` : ''}
         WHERE id = ? AND version = ? RETURNING *`,
        [change.to, version, change.at, change.to, change.at, ...values, id, expectedVersion]);
      if (!after) throw new Rollback(undefined);
      await query(tx,
        `INSERT INTO conversation_events (conversation_id, version, from_state, to_state, actor, reason, data, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, version, before.state, change.to, change.actor, change.reason, change.data === undefined ? null : JSON.stringify(change.data), change.at]);
      return toConversation(after);
    });
  }

  async updateConversation(id: string, patch: Pick<ConversationPatch, 'lang' | 'itemId' | 'skill'>, at: number): Promise<void> {
    const { sets, values } = patchAssignments(patch);
    if (!sets.length) return;
    await query(this.pool, `UPDATE conversations SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [...values, at, id]);
  }

  async markRead(id: string, side: 'citizen' | 'navigator', seq: number): Promise<number> {
    const column = side === 'citizen' ? 'citizen_read_seq' : 'navigator_read_seq';
    const r = await queryOne<{ mark: number }>(this.pool,
      `UPDATE conversations SET ${column} = GREATEST(${column}, LEAST(?::integer, last_seq)) WHERE id = ? RETURNING ${column} AS mark`,
      [seq, id]);
    return r ? Number(r.mark) : 0;
  }

  async markCitizenSocket(id: string, at: number): Promise<void> {
    await query(this.pool, 'UPDATE conversations SET citizen_socket_at = ? WHERE id = ? AND citizen_socket_at IS NULL', [at, id]);
  }

  async listEvents(conversationId: string): Promise<EventRecord[]> {
    return (await query(this.pool, 'SELECT * FROM conversation_events WHERE conversation_id = ? ORDER BY version', [conversationId])).map(toEvent);
  }

  /** Group-committed (./message-appends.ts): one statement per batch, resolved once committed. */
  async appendMessage(m: NewMessage): Promise<{ message: MessageRecord; duplicate: boolean }> {
    return this.appender.append(m);
  }

  async listMessages(conversationId: string, afterSeq = 0, limit = 1000): Promise<MessageRecord[]> {
    return (await query(this.pool, 'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?', [conversationId, afterSeq, limit])).map(toMessage);
  }

  async findReply(conversationId: string, replyTo: number): Promise<MessageRecord | undefined> {
    const r = await queryOne(this.pool, "SELECT * FROM messages WHERE conversation_id = ? AND reply_to = ? AND sender = 'bot' ORDER BY seq LIMIT 1", [conversationId, replyTo]);
    return r ? toMessage(r) : undefined;
  }

  async addNote(n: NoteRecord): Promise<{ note: NoteRecord; duplicate: boolean }> {
    const inserted = await queryOne(this.pool,
      `INSERT INTO notes (id, conversation_id, navigator_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (conversation_id, id) DO NOTHING RETURNING *`,
      [n.id, n.conversationId, n.navigatorId, n.authorName, n.text, n.createdAt]);
    if (inserted) return { note: toNote(inserted), duplicate: false };
    const r = await queryOne(this.pool, 'SELECT * FROM notes WHERE conversation_id = ? AND id = ?', [n.conversationId, n.id]);
    return { note: toNote(r!), duplicate: true };
  }

  async listNotes(conversationId: string): Promise<NoteRecord[]> {
    return (await query(this.pool, 'SELECT * FROM notes WHERE conversation_id = ? ORDER BY created_at, id', [conversationId])).map(toNote);
  }

  async startHandling(h: Pick<HandlingRecord, 'id' | 'conversationId' | 'navigatorId' | 'skill' | 'acceptedAt'>): Promise<void> {
    await query(this.pool,
      `INSERT INTO handlings (id, conversation_id, navigator_id, skill, accepted_at, ordinal)
       SELECT ?, ?, ?, ?, ?, COALESCE(MAX(ordinal), 0) + 1 FROM handlings WHERE conversation_id = ?`,
      [h.id, h.conversationId, h.navigatorId, h.skill, h.acceptedAt, h.conversationId]);
  }

  async endHandling(id: string, end: { endedAt: number; outcome: string; wrapCode?: string; wrapNote?: string }): Promise<void> {
    await query(this.pool, 'UPDATE handlings SET ended_at = ?, outcome = ?, wrap_code = ?, wrap_note = ? WHERE id = ? AND ended_at IS NULL',
      [end.endedAt, end.outcome, end.wrapCode ?? null, end.wrapNote ?? null, id]);
  }

  async openHandling(conversationId: string): Promise<HandlingRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM handlings WHERE conversation_id = ? AND ended_at IS NULL ORDER BY ordinal DESC LIMIT 1', [conversationId]);
    return r ? toHandling(r) : undefined;
  }

  async lastHandling(conversationId: string): Promise<HandlingRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM handlings WHERE conversation_id = ? ORDER BY ordinal DESC LIMIT 1', [conversationId]);
    return r ? toHandling(r) : undefined;
  }

  async recentHandleTimes(limit: number, skill?: string): Promise<number[]> {
    const rows = skill
      ? await query<{ d: number }>(this.pool, 'SELECT ended_at - accepted_at AS d FROM handlings WHERE ended_at IS NOT NULL AND skill = ? ORDER BY ended_at DESC LIMIT ?', [skill, limit])
      : await query<{ d: number }>(this.pool, 'SELECT ended_at - accepted_at AS d FROM handlings WHERE ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?', [limit]);
    return rows.map((r) => Number(r.d));
  }

  async addRating(r: RatingRecord): Promise<boolean> {
    const rows = await query(this.pool,
      `INSERT INTO ratings (handling_id, conversation_id, navigator_id, score, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (handling_id) DO NOTHING RETURNING handling_id`,
      [r.handlingId, r.conversationId, r.navigatorId, r.score, r.comment, r.createdAt]);
    return rows.length === 1;
  }

  async getRating(handlingId: string): Promise<RatingRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM ratings WHERE handling_id = ?', [handlingId]);
    return r ? toRating(r) : undefined;
  }

  async listRatings(conversationId: string): Promise<RatingRecord[]> {
    return (await query(this.pool, 'SELECT * FROM ratings WHERE conversation_id = ? ORDER BY created_at', [conversationId])).map(toRating);
  }

  async createTicket(t: NewTicket): Promise<TicketRecord> {
    return transactionOrRollback(this.pool, async (tx) => {
      const day = ticketDay(t.createdAt);
      const counter = await queryOne<{ n: number }>(tx,
        'INSERT INTO ticket_counters (day, n) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET n = ticket_counters.n + 1 RETURNING n', [day]);
      const ref = `LY${day}-${String(counter!.n).padStart(4, '0')}`;
      const r = await queryOne(tx,
        `INSERT INTO tickets (id, ref, conversation_id, status, name, phone, email, question, department_id, skill, summary, created_at)
         VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [t.id, ref, t.conversationId, t.name, t.phone, t.email, t.question, t.departmentId, t.skill, t.summary, t.createdAt]);
      return toTicket(r!);
    });
  }

  async getTicket(id: string): Promise<TicketRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM tickets WHERE id = ?', [id]);
    return r ? toTicket(r) : undefined;
  }

  async listTickets(filter: TicketFilter): Promise<TicketRecord[]> {
    const q = ticketListQuery(filter, oneOf);
    return q ? (await query(this.pool, q.sql, q.values)).map(toTicket) : [];
  }

  async claimTicket(id: string, navigatorId: string, at: number): Promise<TicketRecord | undefined> {
    const r = await queryOne(this.pool, "UPDATE tickets SET status = 'claimed', claimed_by = ?, claimed_at = ? WHERE id = ? AND status = 'open' RETURNING *", [navigatorId, at, id]);
    return r ? toTicket(r) : undefined;
  }

  async closeTicket(id: string, note: string | null, at: number): Promise<TicketRecord | undefined> {
    const r = await queryOne(this.pool, "UPDATE tickets SET status = 'closed', closed_at = ?, close_note = ? WHERE id = ? AND status <> 'closed' RETURNING *", [at, note, id]);
    return r ? toTicket(r) : undefined;
  }

  async listCanned(): Promise<CannedReplyRecord[]> {
    return (await query(this.pool, 'SELECT * FROM canned_replies ORDER BY title, id')).map((r: Row) => ({
      id: String(r.id), title: String(r.title), text: String(r.text), skill: str(r.skill), updatedAt: Number(r.updated_at), updatedBy: str(r.updated_by),
    }));
  }

  async saveCanned(r: CannedReplyRecord): Promise<void> {
    await query(this.pool,
      `INSERT INTO canned_replies (id, title, text, skill, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text, skill = excluded.skill,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [r.id, r.title, r.text, r.skill, r.updatedAt, r.updatedBy]);
  }

  async deleteCanned(id: string): Promise<boolean> {
    return (await query(this.pool, 'DELETE FROM canned_replies WHERE id = ? RETURNING id', [id])).length === 1;
  }

  async claimOnce(name: string, at: number): Promise<boolean> {
    return (await query(this.pool, 'INSERT INTO once_steps (name, at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING name', [name, at])).length === 1;
  }

  async createNavigator(n: NavigatorRecord): Promise<void> {
    await query(this.pool,
      `INSERT INTO navigators (id, username, name, password_hash, role, skills, capacity, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [n.id, n.username, n.name, n.passwordHash, n.role, JSON.stringify(n.skills), n.capacity, n.active ? 1 : 0, n.createdAt]);
  }

  async updateNavigator(id: string, patch: Partial<Pick<NavigatorRecord, 'name' | 'passwordHash' | 'role' | 'skills' | 'capacity' | 'active'>>): Promise<void> {
    const cols: Record<string, string> = { name: 'name', passwordHash: 'password_hash', role: 'role', skills: 'skills', capacity: 'capacity', active: 'active' };
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || !cols[k]) continue;
      sets.push(`${cols[k]} = ?`);
      values.push(k === 'skills' ? JSON.stringify(v) : k === 'active' ? (v ? 1 : 0) : v);
    }
    if (sets.length) await query(this.pool, `UPDATE navigators SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
  }

  async getNavigator(id: string): Promise<NavigatorRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM navigators WHERE id = ?', [id]);
    return r ? toNavigator(r) : undefined;
  }

  async getNavigatorByUsername(username: string): Promise<NavigatorRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM navigators WHERE username = ?', [username]);
    return r ? toNavigator(r) : undefined;
  }

  async listNavigators(): Promise<NavigatorRecord[]> {
    return (await query(this.pool, 'SELECT * FROM navigators ORDER BY username')).map(toNavigator);
  }

  async createSession(tokenHash: string, s: SessionRecord): Promise<void> {
    await query(this.pool, 'INSERT INTO navigator_sessions (token_hash, navigator_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      [tokenHash, s.navigatorId, s.createdAt, s.expiresAt]);
  }

  async getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const r = await queryOne(this.pool, 'SELECT * FROM navigator_sessions WHERE token_hash = ?', [tokenHash]);
    return r ? { navigatorId: String(r.navigator_id), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) } : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await query(this.pool, 'DELETE FROM navigator_sessions WHERE token_hash = ?', [tokenHash]);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return (await query(this.pool, 'DELETE FROM navigator_sessions WHERE expires_at <= ? RETURNING token_hash', [now])).length;
  }

  async close(): Promise<void> {
    await this.appender.idle();
    if (this.ownsPool) await this.pool.end();
  }
}
