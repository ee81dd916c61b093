/**
 * Group commit for SQLite: writes requested in the same turn of the event loop are committed together, in one
 * transaction (BEGIN IMMEDIATE), each in its own savepoint so one failing write rolls back alone. Every promise
 * settles only after the commit, so an acknowledgement sent when it resolves is durable. Under load this turns
 * a commit per write (a WAL append each) into a commit per turn; alone, a write waits one setImmediate.
 *
 * One queue per database connection, shared by every store on it (handoff, dialogue sessions).
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from './sqlite.ts';

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit {
  private pending: Pending[] = [];
  private readonly batch: Database.Transaction<(items: Pending[]) => Array<{ ok: unknown } | { err: unknown }>>;

  constructor(private readonly db: SqliteDatabase) {
    // called inside the batch's transaction, better-sqlite3 runs this one as a SAVEPOINT
    const savepoint = db.transaction((write: () => unknown) => write());
    this.batch = db.transaction((items: Pending[]) => items.map((item) => {
      try {
        return { ok: savepoint(item.write) };
      } catch (err) {
        return { err };
      }
    }));
  }

  /** Runs `write` (synchronous SQLite statements) in the next group transaction; resolves after its commit. */
  run<R>(write: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits what is waiting now (also before the database closes). */
  flush(): void {
    const items = this.pending.splice(0);
    if (!items.length) return;
    if (!this.db.open) {
      for (const item of items) item.reject(new Error('the database is closed'));
      return;
    }
    let results: Array<{ ok: unknown } | { err: unknown }>;
    try {
      results = this.batch.immediate(items);
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    results.forEach((r, i) => ('ok' in r ? items[i]!.resolve(r.ok) : items[i]!.reject(r.err)));
  }
}

const queues = new WeakMap<SqliteDatabase, GroupCommit>();

/** The group-commit queue of a database connection. */
export function groupCommit(db: SqliteDatabase): GroupCommit {
  let q = queues.get(db);
  if (!q) {
    q = new GroupCommit(db);
    queues.set(db, q);
  }
  return q;
}

/** Commits pending group writes, then closes the connection. */
export function closeSqlite(db: SqliteDatabase): void {
  if (!db.open) return;
  queues.get(db)?.flush();
  db.close();
}
