/**
 * Citizens' thumbs up/down on answers. One vote per answer and session: voting again replaces the vote.
 * Async so a PostgreSQL implementation can follow the embedded SQLite one.
 */
import { migrate, type Migration, type SqliteDatabase } from './sqlite.ts';

export type Vote = 'up' | 'down';

export interface FeedbackInput {
  sessionId: string;
  /** The answer voted on: its seq in the conversation, or the reply id an HTTP client got. */
  target: { messageSeq: number } | { replyId: string };
  vote: Vote;
  comment?: string;
}

export interface FeedbackRecord {
  sessionId: string;
  target: string;
  vote: Vote;
  comment?: string;
  at: string;
}

export interface FeedbackStore {
  save(input: FeedbackInput, at: string): Promise<FeedbackRecord>;
  forSession(sessionId: string): Promise<FeedbackRecord[]>;
  /** Votes per answer target across sessions (reports). */
  totals(): Promise<{ up: number; down: number }>;
}

export const FEEDBACK_MIGRATIONS: readonly Migration[] = [
  {
    name: 'feedback-001-votes',
    sql: `CREATE TABLE answer_feedback (
      session_id TEXT NOT NULL,
      target TEXT NOT NULL,
      vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
      comment TEXT,
      at TEXT NOT NULL,
      PRIMARY KEY (session_id, target)
    );`,
  },
];

const targetKey = (t: FeedbackInput['target']) => ('messageSeq' in t ? `seq:${t.messageSeq}` : `reply:${t.replyId}`);

interface Row { session_id: string; target: string; vote: Vote; comment: string | null; at: string }

const record = (r: Row): FeedbackRecord => ({
  sessionId: r.session_id, target: r.target, vote: r.vote, ...(r.comment ? { comment: r.comment } : {}), at: r.at,
});

export function createSqliteFeedbackStore(db: SqliteDatabase): FeedbackStore {
  migrate(db, FEEDBACK_MIGRATIONS);
  const upsert = db.prepare(`INSERT INTO answer_feedback (session_id, target, vote, comment, at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (session_id, target) DO UPDATE SET vote = excluded.vote, comment = excluded.comment, at = excluded.at`);
  const bySession = db.prepare('SELECT * FROM answer_feedback WHERE session_id = ? ORDER BY at, target');
  const totals = db.prepare("SELECT SUM(vote = 'up') AS up, SUM(vote = 'down') AS down FROM answer_feedback");
  return {
    async save(input, at) {
      const target = targetKey(input.target);
      upsert.run(input.sessionId, target, input.vote, input.comment ?? null, at);
      return { sessionId: input.sessionId, target, vote: input.vote, ...(input.comment ? { comment: input.comment } : {}), at };
    },
    async forSession(sessionId) {
      return (bySession.all(sessionId) as Row[]).map(record);
    },
    async totals() {
      const r = totals.get() as { up: number | null; down: number | null };
      return { up: r.up ?? 0, down: r.down ?? 0 };
    },
  };
}
