/**
 * Saved checklists (share links). A snapshot is written once and never changes: the share page shows the
 * checklist exactly as it was made, with the item version and KB hash it came from. Async so a PostgreSQL
 * implementation can follow the embedded SQLite one.
 */
import crypto from 'node:crypto';
import type { ChecklistSnapshot, NewChecklistSnapshot } from '../guides/types.ts';
import { migrate, type Migration, type SqliteDatabase } from './sqlite.ts';

export interface ChecklistStore {
  /** Stores a snapshot under a new unguessable id and returns it as stored. */
  save(snapshot: NewChecklistSnapshot): Promise<ChecklistSnapshot>;
  /** The snapshot, or undefined for an id that was never issued. */
  get(id: string): Promise<ChecklistSnapshot | undefined>;
}

export const CHECKLIST_MIGRATIONS: readonly Migration[] = [
  {
    name: 'guides-001-checklists',
    sql: `CREATE TABLE checklists (
      id TEXT PRIMARY KEY,
      item_id TEXT NOT NULL,
      item_updated_at TEXT NOT NULL,
      kb_hash TEXT NOT NULL,
      lang TEXT NOT NULL,
      answers TEXT NOT NULL,
      checklists TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX checklists_item ON checklists (item_id, created_at);`,
  },
];

/** 128 random bits, URL-safe: not guessable, not enumerable. */
export function newChecklistId(): string {
  return crypto.randomBytes(16).toString('base64url');
}

/** Share ids are exactly what newChecklistId makes; anything else is rejected before touching storage. */
export function isChecklistId(id: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(id);
}

interface Row {
  id: string;
  item_id: string;
  item_updated_at: string;
  kb_hash: string;
  lang: string;
  answers: string;
  checklists: string;
  created_at: string;
}

export function createSqliteChecklistStore(db: SqliteDatabase, now: () => Date = () => new Date()): ChecklistStore {
  migrate(db, CHECKLIST_MIGRATIONS);
  const insert = db.prepare(
    `INSERT INTO checklists (id, item_id, item_updated_at, kb_hash, lang, answers, checklists, created_at)
     VALUES (@id, @item_id, @item_updated_at, @kb_hash, @lang, @answers, @checklists, @created_at)`,
  );
  const select = db.prepare('SELECT * FROM checklists WHERE id = ?');
  return {
    async save(s) {
      const stored: ChecklistSnapshot = { ...s, id: newChecklistId(), createdAt: now().toISOString() };
      insert.run({
        id: stored.id,
        item_id: stored.itemId,
        item_updated_at: stored.itemUpdatedAt,
        kb_hash: stored.kbHash,
        lang: stored.lang,
        answers: JSON.stringify(stored.answers),
        checklists: JSON.stringify(stored.checklists),
        created_at: stored.createdAt,
      });
      return stored;
    },
    async get(id) {
      if (!isChecklistId(id)) return undefined;
      const row = select.get(id) as Row | undefined;
      if (!row) return undefined;
      return {
        id: row.id,
        itemId: row.item_id,
        itemUpdatedAt: row.item_updated_at,
        kbHash: row.kb_hash,
        lang: row.lang === 'en' ? 'en' : 'zh',
        answers: JSON.parse(row.answers) as Record<string, string>,
        checklists: JSON.parse(row.checklists) as ChecklistSnapshot['checklists'],
        createdAt: row.created_at,
      };
    },
  };
}
