/**
 * Every store the service uses, on the configured backend: SQLite in the data directory (one instance, the
 * default) or PostgreSQL (STORAGE=postgres, DATABASE_URL; several instances share it).
 */
import { createSqliteSessionStore, type SessionStore } from '../assistant/session-store.ts';
import type { Config } from '../config/config.ts';
import { createSqliteChecklistStore, type ChecklistStore } from './checklist-store.ts';
import { createSqliteFeedbackStore, type FeedbackStore } from './feedback-store.ts';
import type { HandoffStore } from './handoff-store.ts';
import type { PgPool } from './postgres/index.ts';
import { SqliteHandoffStore } from './sqlite-handoff-store.ts';
import { closeSqlite } from './group-commit.ts';
import { openSqlite } from './sqlite.ts';

export interface Stores {
  handoff: HandoffStore;
  checklists: ChecklistStore;
  feedback: FeedbackStore;
  sessions: SessionStore;
  /** The PostgreSQL pool (advisory locks across instances), when that is the backend. */
  pool?: PgPool;
  close(): Promise<void>;
}

export async function openStores(config: Pick<Config, 'storage' | 'dataDir'>): Promise<Stores> {
  if (config.storage.kind === 'postgres') {
    // pg is loaded only for this backend
    const {
      createPostgresChecklistStore, createPostgresFeedbackStore, createPostgresSessionStore, openPostgres, PostgresHandoffStore,
    } = await import('./postgres/index.ts');
    const pool = openPostgres(config.storage.url);
    try {
      return {
        handoff: await PostgresHandoffStore.open(pool),
        checklists: await createPostgresChecklistStore(pool),
        feedback: await createPostgresFeedbackStore(pool),
        sessions: await createPostgresSessionStore(pool),
        pool,
        close: () => pool.end(),
      };
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
  }
  const db = openSqlite(config.dataDir);
  return {
    handoff: new SqliteHandoffStore(db),
    checklists: createSqliteChecklistStore(db),
    feedback: createSqliteFeedbackStore(db),
    sessions: createSqliteSessionStore(db),
    async close() {
      closeSqlite(db);
    },
  };
}
