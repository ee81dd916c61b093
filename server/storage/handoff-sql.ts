/** SQL pieces both handoff stores (SQLite and PostgreSQL) build their statements from. */
import type { ConversationPatch, ConversationState, TicketStatus } from './handoff-store.ts';

const PATCH_COLUMNS: Record<keyof ConversationPatch, string> = {
  lang: 'lang', itemId: 'item_id', skill: 'skill', priority: 'priority', queueRank: 'queue_rank',
  navigatorId: 'navigator_id', offeredTo: 'offered_to', offerExpiresAt: 'offer_expires_at', packet: 'packet', queuedAt: 'queued_at',
};

/** `column = ?` assignments and their values for the fields a patch sets (undefined = leave as is). */
export function patchAssignments(patch: ConversationPatch): { sets: string[]; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(patch) as Array<[keyof ConversationPatch, unknown]>) {
    if (value === undefined) continue;
    sets.push(`${PATCH_COLUMNS[key]} = ?`);
    values.push(key === 'packet' && value !== null ? JSON.stringify(value) : value);
  }
  return { sets, values };
}

/** Ticket reference day (LY + this + a per-day counter): the local date in Asia/Shanghai, YYYYMMDD. */
export function ticketDay(at: number): string {
  return new Date(at + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The dialect's "column is one of these values" clause (never called with an empty list) and its values. */
export type OneOf = (column: string, values: readonly string[]) => { clause: string; values: unknown[] };

/** `SELECT * FROM table [WHERE …] ORDER BY …` from the conditions given (each a clause and its values). */
function listQuery(table: string, conditions: ReadonlyArray<{ clause: string; values: unknown[] }>, orderBy: string): { sql: string; values: unknown[] } {
  const where = conditions.map((c) => c.clause);
  return { sql: `SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy}`, values: conditions.flatMap((c) => c.values) };
}

export interface ConversationFilter {
  states?: readonly ConversationState[];
  navigatorId?: string;
}

/** The conversation list query for a filter, or undefined when the filter can match nothing (an empty state list). */
export function conversationListQuery(filter: ConversationFilter, oneOf: OneOf): { sql: string; values: unknown[] } | undefined {
  if (filter.states?.length === 0) return undefined;
  return listQuery('conversations', [
    ...(filter.states ? [oneOf('state', filter.states)] : []),
    ...(filter.navigatorId ? [{ clause: 'navigator_id = ?', values: [filter.navigatorId] }] : []),
  ], 'created_at, id');
}

export interface TicketFilter {
  status?: TicketStatus;
  skills?: readonly string[];
  conversationId?: string;
}

/** The ticket list query for a filter, or undefined when the filter can match nothing (an empty skill list). */
export function ticketListQuery(filter: TicketFilter, oneOf: OneOf): { sql: string; values: unknown[] } | undefined {
  if (filter.skills?.length === 0) return undefined;
  return listQuery('tickets', [
    ...(filter.conversationId ? [{ clause: 'conversation_id = ?', values: [filter.conversationId] }] : []),
    ...(filter.status ? [{ clause: 'status = ?', values: [filter.status] }] : []),
    ...(filter.skills ? [oneOf('skill', filter.skills)] : []),
  ], 'created_at, ref');
}
