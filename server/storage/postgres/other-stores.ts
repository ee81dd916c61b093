/** The checklist, feedback and dialogue-session stores on PostgreSQL (same contracts as their SQLite versions). */
import type { DialogueState, SessionStore } from '../../assistant/session-store.ts';
import { newState } from '../../assistant/session-store.ts';
import type { ChecklistSnapshot } from '../../guides/types.ts';
import { CHECKLIST_MIGRATIONS, isChecklistId, newChecklistId, type ChecklistStore } from '../checklist-store.ts';
import { FEEDBACK_MIGRATIONS, type FeedbackInput, type FeedbackRecord, type FeedbackStore, type Vote } from '../feedback-store.ts';
import type { Migration } from '../sqlite.ts';
import { migratePg, query, queryOne, type PgPool } from './pool.ts';

export async function createPostgresChecklistStore(pool: PgPool, now: () => Date = () => new Date()): Promise<ChecklistStore> {
  await migratePg(pool, CHECKLIST_MIGRATIONS);
  return {
    async save(s) {
      const stored: ChecklistSnapshot = { ...s, id: newChecklistId(), createdAt: now().toISOString() };
      await query(pool,
        `INSERT INTO checklists (id, item_id, item_updated_at, kb_hash, lang, answers, checklists, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [stored.id, stored.itemId, stored.itemUpdatedAt, stored.kbHash, stored.lang, JSON.stringify(stored.answers), JSON.stringify(stored.checklists), stored.createdAt]);
      return stored;
    },
    async get(id) {
      if (!isChecklistId(id)) return undefined;
      const r = await queryOne(pool, 'SELECT * FROM checklists WHERE id = ?', [id]);
      if (!r) return undefined;
      return {
        id: String(r.id), itemId: String(r.item_id), itemUpdatedAt: String(r.item_updated_at), kbHash: String(r.kb_hash),
        lang: r.lang === 'en' ? 'en' : 'zh', answers: JSON.parse(String(r.answers)) as Record<string, string>,
        checklists: JSON.parse(String(r.checklists)) as ChecklistSnapshot['checklists'], createdAt: String(r.created_at),
      };
    },
  };
}

/** The same target keys as the SQLite feedback store. */
const feedbackTargetKey = (t: FeedbackInput['target']) => ('messageSeq' in t ? `seq:${t.messageSeq}` : `reply:${t.replyId}`);

export async function createPostgresFeedbackStore(pool: PgPool): Promise<FeedbackStore> {
  await migratePg(pool, FEEDBACK_MIGRATIONS);
  const record = (r: Record<string, unknown>): FeedbackRecord => ({
    sessionId: String(r.session_id), target: String(r.target), vote: r.vote as Vote, ...(r.comment ? { comment: String(r.comment) } : {}), at: String(r.at),
  });
  return {
    async save(input, at) {
      const target = feedbackTargetKey(input.target);
      await query(pool,
        `INSERT INTO answer_feedback (session_id, target, vote, comment, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (session_id, target) DO UPDATE SET vote = excluded.vote, comment = excluded.comment, at = excluded.at`,
        [input.sessionId, target, input.vote, input.comment ?? null, at]);
      return { sessionId: input.sessionId, target, vote: input.vote, ...(input.comment ? { comment: input.comment } : {}), at };
    },
    async forSession(sessionId) {
      return (await query(pool, 'SELECT * FROM answer_feedback WHERE session_id = ? ORDER BY at, target', [sessionId])).map(record);
    },
    async totals() {
      const r = await queryOne<{ up: number; down: number }>(pool,
        "SELECT COUNT(*) FILTER (WHERE vote = 'up')::integer AS up, COUNT(*) FILTER (WHERE vote = 'down')::integer AS down FROM answer_feedback");
      return { up: Number(r?.up ?? 0), down: Number(r?.down ?? 0) };
    },
  };
}

/** The SQLite table with a BIGINT timestamp (epoch ms does not fit PostgreSQL's INTEGER). */
export const PG_ASSISTANT_MIGRATIONS: readonly Migration[] = [
  {
    name: 'assistant-001-dialogue-sessions',
    sql: `CREATE TABLE assistant_sessions (id TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at BIGINT NOT NULL);
          CREATE INDEX assistant_sessions_updated ON assistant_sessions (updated_at);`,
  },
];

export async function createPostgresSessionStore(pool: PgPool, options: { ttlMs?: number; now?: () => number } = {}): Promise<SessionStore> {
  await migratePg(pool, PG_ASSISTANT_MIGRATIONS);
  const ttl = options.ttlMs ?? 2 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  let writes = 0;
  // expired rows are swept every 500 writes
  const upsert = async (id: string, state: DialogueState, t: number) => {
    if (++writes % 500 === 1) await query(pool, 'DELETE FROM assistant_sessions WHERE updated_at < ?', [t - ttl]);
    await query(pool,
      'INSERT INTO assistant_sessions (id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
      [id, JSON.stringify(state), t]);
  };
  return {
    async create(lang, id) {
      const state = newState(lang, id);
      await upsert(state.id, state, now());
      return state;
    },
    async get(id) {
      const r = await queryOne<{ state: string; updated_at: number }>(pool, 'SELECT state, updated_at FROM assistant_sessions WHERE id = ?', [id]);
      if (!r) return undefined;
      if (now() - Number(r.updated_at) > ttl) {
        await query(pool, 'DELETE FROM assistant_sessions WHERE id = ?', [id]);
        return undefined;
      }
      return JSON.parse(r.state) as DialogueState;
    },
    async save(state) {
      const t = now();
      await upsert(state.id, { ...state, updatedAt: new Date(t).toISOString() }, t);
    },
    async delete(id) {
      await query(pool, 'DELETE FROM assistant_sessions WHERE id = ?', [id]);
    },
  };
}
