import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** A named, append-only list of SQL statements; each capability owns its own migration names. */
export interface Migration {
  /** Unique and stable, e.g. "handoff-001-conversations". */
  name: string;
  sql: string;
}

/**
 * Opens (creating if needed) the service's SQLite database in the data directory, in WAL mode with
 * synchronous=NORMAL, which keeps every committed transaction across a process crash.
 * Pass ":memory:" as dataDir for a throwaway database.
 */
export function openSqlite(dataDir: string, file = 'daoban.db'): SqliteDatabase {
  let target = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true });
    target = path.join(dataDir, file);
  }
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  return db;
}

/** Applies the migrations not applied yet, each in its own transaction, in the given order. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  const applied = new Set((db.prepare('SELECT name FROM migrations').all() as Array<{ name: string }>).map((r) => r.name));
  const record = db.prepare('INSERT INTO migrations (name, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.name)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.name, new Date().toISOString());
    })();
  }
}
