/**
 * Per-session dialogue context: which item and aspect the conversation is about, the situation answered so far,
 * a pending clarification or checklist, and the low-confidence streak. Two implementations: in memory with a TTL
 * (the default) and SQLite (so a restart keeps context).
 */
import { randomUUID } from 'node:crypto';
import type { Aspect } from './aspects.ts';
import type { Lang } from './reply.ts';
import { groupCommit } from '../storage/group-commit.ts';
import { migrate, type Migration, type SqliteDatabase } from '../storage/sqlite.ts';

export interface PendingClarify {
  /** The choices offered, in order. */
  choices: Array<{ itemId: string; label: string }>;
  /** The aspect asked about when the clarification was needed; applied once an item is picked. */
  aspect?: Aspect;
  /** The question that needed it: a reply that is no choice is read together with it ("公积金怎么提取" + "租房"). */
  question?: string;
}

export interface GuideProgress {
  itemId: string;
  answers: Record<string, string>;
  /** The question just asked, whose answer the next message is. */
  questionId?: string;
}

export interface DialogueState {
  id: string;
  lang: Lang;
  createdAt: string;
  updatedAt: string;
  turns: number;
  itemId?: string;
  aspect?: Aspect;
  /** Situational answers (questionId → optionId) for the current item. */
  situation: Record<string, string>;
  clarify?: PendingClarify;
  /** The services the last answer spoke of without settling on one (a general FAQ's): a follow-up may pick one. */
  related?: string[];
  guide?: GuideProgress;
  /** A handoff offer is waiting for yes/no. */
  handoffOffered?: string;
  /** Consecutive low-confidence replies. */
  lowConfidence: number;
  /** Set once a handoff was started, so it is not requested twice. */
  handoffStarted?: boolean;
}

export interface SessionStore {
  create(lang: Lang, id?: string): Promise<DialogueState>;
  get(id: string): Promise<DialogueState | undefined>;
  save(state: DialogueState): Promise<void>;
  delete(id: string): Promise<void>;
  close?(): Promise<void> | void;
}

export function newState(lang: Lang, id: string = randomUUID()): DialogueState {
  const now = new Date().toISOString();
  return { id, lang, createdAt: now, updatedAt: now, turns: 0, situation: {}, lowConfidence: 0 };
}

export interface MemorySessionStoreOptions {
  /** Idle time after which a session is forgotten (default 2 h). */
  ttlMs?: number;
  /** Upper bound on sessions kept (oldest evicted first; default 100,000). */
  maxSessions?: number;
  now?: () => number;
}

export function createMemorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const ttl = options.ttlMs ?? 2 * 60 * 60 * 1000;
  const max = options.maxSessions ?? 100_000;
  const now = options.now ?? Date.now;
  // Map keeps insertion order; re-inserting on save makes it least-recently-used first
  const sessions = new Map<string, { state: DialogueState; touched: number }>();
  const put = (state: DialogueState) => {
    sessions.delete(state.id);
    sessions.set(state.id, { state: structuredClone(state), touched: now() });
    while (sessions.size > max) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      sessions.delete(oldest);
    }
  };
  return {
    async create(lang, id) {
      const state = newState(lang, id);
      put(state);
      return structuredClone(state);
    },
    async get(id) {
      const entry = sessions.get(id);
      if (!entry) return undefined;
      if (now() - entry.touched > ttl) {
        sessions.delete(id);
        return undefined;
      }
      return structuredClone(entry.state);
    },
    async save(state) {
      put({ ...state, updatedAt: new Date(now()).toISOString() });
    },
    async delete(id) {
      sessions.delete(id);
    },
  };
}

export const ASSISTANT_MIGRATIONS: readonly Migration[] = [
  {
    name: 'assistant-001-dialogue-sessions',
    sql: `CREATE TABLE assistant_sessions (
            id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            updated_at INTEGER NOT NULL
          );
          CREATE INDEX assistant_sessions_updated ON assistant_sessions (updated_at);`,
  },
];

export interface SqliteSessionStoreOptions {
  ttlMs?: number;
  now?: () => number;
}

/** Sessions in the service's SQLite database (openSqlite); expired rows are swept every 500 writes. */
export function createSqliteSessionStore(db: SqliteDatabase, options: SqliteSessionStoreOptions = {}): SessionStore {
  migrate(db, ASSISTANT_MIGRATIONS);
  const ttl = options.ttlMs ?? 2 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  const upsert = db.prepare(
    'INSERT INTO assistant_sessions (id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
  );
  const select = db.prepare('SELECT state, updated_at FROM assistant_sessions WHERE id = ?');
  const remove = db.prepare('DELETE FROM assistant_sessions WHERE id = ?');
  const sweep = db.prepare('DELETE FROM assistant_sessions WHERE updated_at < ?');
  const group = groupCommit(db);
  let writes = 0;
  const write = (state: DialogueState, t: number) => {
    const sweeping = ++writes % 500 === 1;
    const json = JSON.stringify(state);
    return group.run(() => {
      if (sweeping) sweep.run(t - ttl);
      upsert.run(state.id, json, t);
    });
  };
  return {
    async create(lang, id) {
      const state = newState(lang, id);
      await write(state, now());
      return state;
    },
    async get(id) {
      const row = select.get(id) as { state: string; updated_at: number } | undefined;
      if (!row) return undefined;
      if (now() - row.updated_at > ttl) {
        remove.run(id);
        return undefined;
      }
      return JSON.parse(row.state) as DialogueState;
    },
    async save(state) {
      const t = now();
      await write({ ...state, updatedAt: new Date(t).toISOString() }, t);
    },
    async delete(id) {
      remove.run(id);
    },
  };
}
