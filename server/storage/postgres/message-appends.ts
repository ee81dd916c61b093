/**
 * Group commit for message appends on PostgreSQL. Appends requested while the previous batch is being written
 * (or within the same event-loop turn) go to the database together as ONE statement, which is its own
 * transaction: one round trip for the whole batch instead of five per message. Each promise resolves only after
 * that statement committed, so an ack sent on resolution is durable.
 *
 * The statement keeps the per-message contract:
 *   - a (conversation, clientKey) already stored is returned as the stored message (duplicate), not written;
 *   - each conversation's last_seq is raised by the number of its new messages under its row lock (a concurrent
 *     append from another instance waits and PostgreSQL re-reads the row: no gap, no overlap), and its new
 *     messages take the seqs just below the new last_seq, in request order. The rows are locked in id order, so
 *     two instances' batches touching the same conversations cannot deadlock.
 * A clientKey committed by another instance after the statement's snapshot makes the insert hit the unique
 * index; the batch is then retried message by message (each its own transaction, which sees that commit).
 */
import type { MessageRecord, NewMessage } from '../handoff-store.ts';
import { toMessage, type Row } from '../handoff-rows.ts';
import { queryOne, Rollback, transactionOrRollback, type PgPool } from './pool.ts';

export type AppendResult = { message: MessageRecord; duplicate: boolean };

interface Pending {
  m: NewMessage;
  clientKey: string | null;
  data: string | null;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

const clientKeyOf = (m: NewMessage): string | null => (m.clientId ? `${m.sender}:${m.authorId ?? ''}:${m.clientId}` : null);

const BATCH_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                         $10::int[], $11::bigint[])
      AS t(idx, conversation_id, client_key, sender, client_id, author_id, author_name, text, data, reply_to, created_at)
  ),
  existing AS (
    SELECT i.idx, m.* FROM input i JOIN messages m ON m.conversation_id = i.conversation_id AND m.client_key = i.client_key
  ),
  fresh AS (
    SELECT i.* FROM input i WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.idx = i.idx)
  ),
  counts AS (
    SELECT conversation_id, count(*)::int AS n, max(created_at) AS at FROM fresh GROUP BY conversation_id
  ),
  locked AS MATERIALIZED (
    SELECT id FROM conversations WHERE id IN (SELECT conversation_id FROM counts) ORDER BY id FOR UPDATE
  ),
  bumped AS (
    UPDATE conversations c SET last_seq = c.last_seq + counts.n, updated_at = counts.at
    FROM counts JOIN locked l ON l.id = counts.conversation_id WHERE c.id = counts.conversation_id
    RETURNING c.id, c.last_seq - counts.n AS base
  ),
  inserted AS (
    INSERT INTO messages (conversation_id, seq, client_key, sender, client_id, author_id, author_name, text, data, reply_to, created_at)
    SELECT f.conversation_id, b.base + row_number() OVER (PARTITION BY f.conversation_id ORDER BY f.idx), f.client_key, f.sender,
           f.client_id, f.author_id, f.author_name, f.text, f.data, f.reply_to, f.created_at
    FROM fresh f JOIN bumped b ON b.id = f.conversation_id
    RETURNING 1
  )
  SELECT 'base' AS kind, NULL::int AS idx, id AS conversation_id, base AS seq, NULL::text AS client_key, NULL::text AS sender,
         NULL::text AS client_id, NULL::text AS author_id, NULL::text AS author_name, NULL::text AS text, NULL::text AS data,
         NULL::int AS reply_to, NULL::bigint AS created_at
  FROM bumped
  UNION ALL
  SELECT 'existing', idx, conversation_id, seq, client_key, sender, client_id, author_id, author_name, text, data, reply_to, created_at
  FROM existing`;

/** The single-message path: one transaction under the conversation's row lock (the fallback of a failed batch). */
async function appendOne(pool: PgPool, p: Pending): Promise<AppendResult> {
  const { m, clientKey, data } = p;
  return transactionOrRollback(pool, async (tx) => {
    // Bumping last_seq first takes the conversation's row lock: appends (and a repeated clientId) queue behind it.
    const bumped = await queryOne<{ last_seq: number }>(tx,
      'UPDATE conversations SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq', [m.createdAt, m.conversationId]);
    if (!bumped) throw new Error(`conversation ${m.conversationId} does not exist`);
    if (clientKey) {
      const existing = await queryOne(tx, 'SELECT * FROM messages WHERE conversation_id = ? AND client_key = ?', [m.conversationId, clientKey]);
      if (existing) throw new Rollback({ message: toMessage(existing), duplicate: true });
    }
    const row = await queryOne(tx,
      `INSERT INTO messages (conversation_id, seq, client_key, sender, client_id, author_id, author_name, text, data, reply_to, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [m.conversationId, bumped.last_seq, clientKey, m.sender, m.clientId ?? null, m.authorId ?? null, m.authorName ?? null, m.text, data, m.replyTo ?? null, m.createdAt]);
    return { message: toMessage(row!), duplicate: false };
  });
}

function recordOf(p: Pending, seq: number): MessageRecord {
  const { m } = p;
  return {
    conversationId: m.conversationId, seq, sender: m.sender, clientId: m.clientId ?? null, authorId: m.authorId ?? null,
    authorName: m.authorName ?? null, text: m.text, data: p.data === null ? null : JSON.parse(p.data), replyTo: m.replyTo ?? null,
    createdAt: m.createdAt,
  };
}

export class MessageAppender {
  private pending: Pending[] = [];
  private writing = false;
  private scheduled = false;

  constructor(private readonly pool: PgPool) {}

  append(m: NewMessage): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      const data = m.data === undefined ? null : JSON.stringify(m.data);
      this.pending.push({ m, clientKey: clientKeyOf(m), data, resolve, reject });
      this.schedule();
    });
  }

  /** One batch in flight at a time: what arrives meanwhile waits for it and forms the next batch (in order). */
  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || !this.pending.length) return;
    this.writing = true;
    const batch = this.pending.splice(0);
    try {
      await this.write(batch);
    } finally {
      this.writing = false;
      if (this.pending.length) this.schedule();
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    // A clientKey repeated inside the batch (a retry racing its original) is written once; the repeats get the stored message.
    const first = new Map<string, Pending>();
    const repeats: Array<{ p: Pending; of: Pending }> = [];
    const items: Pending[] = [];
    for (const p of batch) {
      const key = p.clientKey === null ? null : `${p.m.conversationId}\u0000${p.clientKey}`;
      const seen = key === null ? undefined : first.get(key);
      if (seen) repeats.push({ p, of: seen });
      else {
        if (key !== null) first.set(key, p);
        items.push(p);
      }
    }
    const results = new Map<Pending, AppendResult>();
    const failures = new Map<Pending, unknown>();
    try {
      // Named: each pooled connection parses and plans the statement once.
      const rows = await this.pool.query<Row>({ name: 'daoban-append-batch', text: BATCH_SQL, values: [
        items.map((_, i) => i), items.map((p) => p.m.conversationId), items.map((p) => p.clientKey), items.map((p) => p.m.sender),
        items.map((p) => p.m.clientId ?? null), items.map((p) => p.m.authorId ?? null), items.map((p) => p.m.authorName ?? null),
        items.map((p) => p.m.text), items.map((p) => p.data), items.map((p) => p.m.replyTo ?? null), items.map((p) => p.m.createdAt),
      ] });
      const next = new Map<string, number>();
      const existing = new Map<number, Row>();
      for (const r of rows.rows) {
        if (r.kind === 'base') next.set(String(r.conversation_id), Number(r.seq));
        else existing.set(Number(r.idx), r);
      }
      items.forEach((p, i) => {
        const stored = existing.get(i);
        if (stored) return results.set(p, { message: toMessage(stored), duplicate: true });
        const base = next.get(p.m.conversationId);
        if (base === undefined) return failures.set(p, new Error(`conversation ${p.m.conversationId} does not exist`));
        next.set(p.m.conversationId, base + 1);
        results.set(p, { message: recordOf(p, base + 1), duplicate: false });
      });
    } catch (e) {
      if ((e as { code?: string }).code !== '23505') {
        for (const p of batch) p.reject(e);
        return;
      }
      // Unique violation: a clientKey committed elsewhere after our snapshot. Message by message, in order.
      for (const p of items) {
        try {
          results.set(p, await appendOne(this.pool, p));
        } catch (err) {
          failures.set(p, err);
        }
      }
    }
    for (const p of items) {
      const r = results.get(p);
      if (r) p.resolve(r);
      else p.reject(failures.get(p));
    }
    for (const { p, of } of repeats) {
      const r = results.get(of);
      if (r) p.resolve({ message: r.message, duplicate: true });
      else p.reject(failures.get(of));
    }
  }

  /** Resolves once nothing is pending or being written. */
  async idle(): Promise<void> {
    while (this.writing || this.pending.length || this.scheduled) await new Promise((r) => setImmediate(r));
  }
}
