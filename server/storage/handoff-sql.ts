/** SQL pieces both handoff stores (SQLite and PostgreSQL) build their statements from. */
import type { ConversationPatch, TicketStatus } from './handoff-store.ts';

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

export interface TicketFilter {
  status?: TicketStatus;
  skills?: readonly string[];
  conversationId?: string;
}

/**
 * The ticket list query for a filter, or undefined when the filter can match nothing (an empty skill list).
 * `skillsIn` writes the dialect's "skill is one of these" clause and its values.
 */
export function ticketListQuery(
  filter: TicketFilter,
  skillsIn: (skills: readonly string[]) => { clause: string; values: unknown[] },
): { sql: string; values: unknown[] } | undefined {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.conversationId) {
    where.push('conversation_id = ?');
    values.push(filter.conversationId);
  }
  if (filter.status) {
    where.push('status = ?');
    values.push(filter.status);
  }
  if (filter.skills) {
    if (!filter.skills.length) return undefined;
    const skills = skillsIn(filter.skills);
    where.push(skills.clause);
    values.push(...skills.values);
  }
  return { sql: `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, ref`, values };
}
