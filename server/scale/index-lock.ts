/**
 * Builds the search index once per knowledge base across instances: the first instance to start takes a
 * PostgreSQL advisory lock named after the KB hash and builds into the shared index directory; the others
 * wait on the lock, then find the index on disk and load it.
 */
import crypto from 'node:crypto';
import type { PgPool } from '../storage/postgres/pool.ts';

/** Two int4 keys derived from a name (pg_advisory_lock(int, int)). */
function lockKeys(name: string): [number, number] {
  const h = crypto.createHash('sha256').update(name).digest();
  return [h.readInt32BE(0), h.readInt32BE(4)];
}

export async function withAdvisoryLock<T>(pool: PgPool, name: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const [a, b] = lockKeys(name);
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [a, b]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [a, b]);
    }
  } finally {
    client.release();
  }
}
