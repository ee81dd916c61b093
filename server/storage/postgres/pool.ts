/**
 * PostgreSQL plumbing for the scale-out stores: a connection pool (search_path from the URL's `options`, e.g.
 * `?options=-c%20search_path%3Ddaoban`), SQLite-style `?` placeholders, transactions, and migrations applied once
 * across concurrently starting instances (an advisory lock serialises them).
 */
import pg from 'pg';
import type { Migration } from '../sqlite.ts';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// BIGINT columns hold epoch milliseconds: safe as JS numbers, so read them as numbers rather than strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function openPostgres(url: string, options: { max?: number } = {}): PgPool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its connection (database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** Rewrites `?` placeholders to `$1, $2...` (the SQL texts never contain a literal question mark). */
const converted = new Map<string, string>();
export function pgSql(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    let i = 0;
    out = sql.replace(/\?/g, () => `$${++i}`);
    converted.set(sql, out);
  }
  return out;
}

export async function query<R extends Record<string, unknown> = Record<string, unknown>>(db: Queryable, sql: string, values: unknown[] = []): Promise<R[]> {
  const res = await db.query(pgSql(sql), values);
  return res.rows as R[];
}

export async function queryOne<R extends Record<string, unknown> = Record<string, unknown>>(db: Queryable, sql: string, values: unknown[] = []): Promise<R | undefined> {
  return (await query<R>(db, sql, values))[0];
}

/** Runs fn in one transaction on one client: committed when it resolves, rolled back when it throws. */
export async function transaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Thrown inside transaction() to roll back and hand a value to the caller. */
export class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rollback');
  }
}

export async function transactionOrRollback<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  try {
    return await transaction(pool, fn);
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
}

const MIGRATION_LOCK = 0x64616f62; // "daob"

/** Applies the migrations not applied yet, each in its own transaction; instances starting together take turns. */
export async function migratePg(pool: PgPool, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      const applied = new Set((await client.query<{ name: string }>('SELECT name FROM migrations')).rows.map((r) => r.name));
      for (const m of migrations) {
        if (applied.has(m.name)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO migrations (name, applied_at) VALUES ($1, $2)', [m.name, new Date().toISOString()]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
