/** Row → record mapping for the handoff tables (the column layout is the one HANDOFF_MIGRATIONS creates). */
import type {
  ConversationRecord, ConversationState, EventRecord, HandlingRecord, MessageRecord, NavigatorRecord, NoteRecord, RatingRecord,
  TicketRecord, TicketStatus,
} from './handoff-store.ts';

export type Row = Record<string, unknown>;

export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const json = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.parse(String(v)));

export function toConversation(r: Row): ConversationRecord {
  return {
    id: String(r.id), sessionId: String(r.session_id), state: r.state as ConversationState, lang: r.lang === 'en' ? 'en' : 'zh',
    itemId: str(r.item_id), skill: String(r.skill), priority: Number(r.priority), queueRank: num(r.queue_rank),
    navigatorId: str(r.navigator_id), offeredTo: str(r.offered_to), offerExpiresAt: num(r.offer_expires_at),
    packet: json(r.packet) as ConversationRecord['packet'], lastSeq: Number(r.last_seq), citizenReadSeq: Number(r.citizen_read_seq),
    navigatorReadSeq: Number(r.navigator_read_seq), version: Number(r.version), createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at), queuedAt: num(r.queued_at), stateSince: Number(r.state_since),
    citizenSocketAt: num(r.citizen_socket_at),
  };
}

export function toMessage(r: Row): MessageRecord {
  return {
    conversationId: String(r.conversation_id), seq: Number(r.seq), sender: r.sender as MessageRecord['sender'],
    clientId: str(r.client_id), authorId: str(r.author_id), authorName: str(r.author_name), text: String(r.text),
    data: json(r.data), replyTo: num(r.reply_to), createdAt: Number(r.created_at),
  };
}

export function toEvent(r: Row): EventRecord {
  return {
    conversationId: String(r.conversation_id), version: Number(r.version), from: r.from_state as ConversationState,
    to: r.to_state as ConversationState, actor: String(r.actor), reason: String(r.reason), data: json(r.data), at: Number(r.at),
  };
}

export function toNote(r: Row): NoteRecord {
  return {
    id: String(r.id), conversationId: String(r.conversation_id), navigatorId: String(r.navigator_id),
    authorName: String(r.author_name), text: String(r.text), createdAt: Number(r.created_at),
  };
}

export function toTicket(r: Row): TicketRecord {
  return {
    id: String(r.id), ref: String(r.ref), conversationId: str(r.conversation_id), status: r.status as TicketStatus,
    name: str(r.name), phone: str(r.phone), email: str(r.email), question: String(r.question),
    departmentId: str(r.department_id), skill: String(r.skill), summary: str(r.summary), claimedBy: str(r.claimed_by),
    claimedAt: num(r.claimed_at), closedAt: num(r.closed_at), closeNote: str(r.close_note), createdAt: Number(r.created_at),
  };
}

export function toHandling(r: Row): HandlingRecord {
  return {
    id: String(r.id), conversationId: String(r.conversation_id), navigatorId: String(r.navigator_id), skill: String(r.skill),
    acceptedAt: Number(r.accepted_at), endedAt: num(r.ended_at), outcome: str(r.outcome), wrapCode: str(r.wrap_code),
    wrapNote: str(r.wrap_note),
  };
}

export function toRating(r: Row): RatingRecord {
  return {
    handlingId: String(r.handling_id), conversationId: String(r.conversation_id), navigatorId: String(r.navigator_id),
    score: r.score as RatingRecord['score'], comment: str(r.comment), createdAt: Number(r.created_at),
  };
}

export function toNavigator(r: Row): NavigatorRecord {
  return {
    id: String(r.id), username: String(r.username), name: String(r.name), passwordHash: String(r.password_hash),
    role: r.role === 'supervisor' ? 'supervisor' : 'navigator', skills: JSON.parse(String(r.skills)) as string[],
    capacity: Number(r.capacity), active: Number(r.active) === 1, createdAt: Number(r.created_at),
  };
}
