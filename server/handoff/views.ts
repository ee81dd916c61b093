/** Record → view mappers: what clients see of the stored data (ISO times, resolved titles, no secrets). */
import type { ChatReply } from '../assistant/reply.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type {
  CannedReplyRecord, ConversationRecord, EventRecord, HandoffPacket, MessageRecord, NoteRecord, RatingRecord, TicketRecord,
} from '../storage/handoff-store.ts';
import { departmentForItem } from './routing.ts';
import { REASON_LABELS } from './texts.ts';
import type {
  BotTurn, CannedReplyView, ConversationSummary, EventView, HandoffPacketView, MessageView, NoteView, RatingView,
  SituationAnswer, SystemEvent, TicketView,
} from './types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function botTurnOf(reply: ChatReply): BotTurn {
  return {
    status: reply.status,
    citations: reply.citations,
    ...(reply.options ? { options: reply.options } : {}),
    confidence: reply.confidence,
    ...(reply.intent ? { intent: reply.intent } : {}),
    ...(reply.item ? { item: reply.item } : {}),
    suggestions: reply.suggestions,
  };
}

interface MessageData {
  bot?: BotTurn;
  event?: SystemEvent;
}

export function messageView(m: MessageRecord): MessageView {
  const data = (m.data ?? {}) as MessageData;
  return {
    conversationId: m.conversationId,
    seq: m.seq,
    sender: m.sender,
    text: m.text,
    at: iso(m.createdAt),
    ...(m.clientId ? { clientId: m.clientId } : {}),
    ...(m.authorName ? { authorName: m.authorName } : {}),
    ...(m.replyTo !== null ? { replyTo: m.replyTo } : {}),
    ...(data.bot ? { bot: data.bot } : {}),
    ...(data.event ? { event: data.event } : {}),
  };
}

export function itemTitle(kb: KnowledgeBase | undefined, itemId: string | null | undefined): string | undefined {
  return itemId ? kb?.itemsById.get(itemId)?.title : undefined;
}

function situationOf(kb: KnowledgeBase | undefined, itemId: string | undefined, situation: Record<string, string>): SituationAnswer[] {
  const item = itemId ? kb?.itemsById.get(itemId) : undefined;
  return Object.entries(situation).map(([questionId, optionId]) => {
    const q = item?.questions.find((x) => x.id === questionId) ?? kb?.questionLibrary.get(questionId);
    const option = q?.options.find((o) => o.id === optionId);
    return { questionId, optionId, ...(q ? { question: q.text } : {}), ...(option ? { answer: option.label } : {}) };
  });
}

export function packetView(kb: KnowledgeBase | undefined, p: HandoffPacket): HandoffPacketView {
  const dept = departmentForItem(kb, p.itemId);
  const title = p.itemTitle ?? itemTitle(kb, p.itemId);
  return {
    reason: p.reason,
    reasonLabel: REASON_LABELS[p.reason] ?? p.reason,
    confidence: p.confidence,
    ...(p.itemId ? { itemId: p.itemId } : {}),
    ...(title ? { itemTitle: title } : {}),
    summary: p.summary,
    situation: situationOf(kb, p.itemId, p.situation),
    requestedAt: iso(p.requestedAt),
    ...(p.transferNote ? { transferNote: p.transferNote } : {}),
    ...(p.transferredBy ? { transferredBy: p.transferredBy } : {}),
    ...(dept ? { department: { id: dept.id, name: dept.name, ...(dept.hotline ? { hotline: dept.hotline } : {}) } } : {}),
  };
}

export function conversationSummary(kb: KnowledgeBase | undefined, c: ConversationRecord, navigatorName?: (id: string) => string | undefined): ConversationSummary {
  const title = itemTitle(kb, c.itemId);
  const navName = c.navigatorId ? navigatorName?.(c.navigatorId) : undefined;
  return {
    id: c.id,
    state: c.state,
    skill: c.skill,
    priority: c.priority,
    lang: c.lang,
    ...(c.itemId ? { itemId: c.itemId } : {}),
    ...(title ? { itemTitle: title } : {}),
    ...(c.navigatorId ? { navigatorId: c.navigatorId } : {}),
    ...(navName ? { navigatorName: navName } : {}),
    ...(c.offeredTo ? { offeredTo: c.offeredTo } : {}),
    ...(c.offerExpiresAt !== null ? { offerExpiresAt: iso(c.offerExpiresAt) } : {}),
    ...(c.queuedAt !== null ? { waitingSince: iso(c.queuedAt) } : {}),
    lastSeq: c.lastSeq,
    citizenReadSeq: c.citizenReadSeq,
    navigatorReadSeq: c.navigatorReadSeq,
    ...(c.packet ? { packet: packetView(kb, c.packet) } : {}),
    stateSince: iso(c.stateSince),
    updatedAt: iso(c.updatedAt),
  };
}

export function noteView(n: NoteRecord): NoteView {
  return { id: n.id, conversationId: n.conversationId, navigatorId: n.navigatorId, authorName: n.authorName, text: n.text, at: iso(n.createdAt) };
}

export function eventView(e: EventRecord): EventView {
  return { version: e.version, from: e.from, to: e.to, actor: e.actor, reason: e.reason, ...(e.data != null ? { data: e.data } : {}), at: iso(e.at) };
}

export function ratingView(r: RatingRecord): RatingView {
  return { score: r.score, ...(r.comment ? { comment: r.comment } : {}), navigatorId: r.navigatorId, at: iso(r.createdAt) };
}

export function ticketView(kb: KnowledgeBase | undefined, t: TicketRecord, navigatorName?: (id: string) => string | undefined): TicketView {
  const dept = t.departmentId ? kb?.departmentsById.get(t.departmentId) : undefined;
  const claimedByName = t.claimedBy ? navigatorName?.(t.claimedBy) : undefined;
  return {
    id: t.id,
    ref: t.ref,
    status: t.status,
    ...(t.conversationId ? { conversationId: t.conversationId } : {}),
    ...(t.name ? { name: t.name } : {}),
    ...(t.phone ? { phone: t.phone } : {}),
    ...(t.email ? { email: t.email } : {}),
    question: t.question,
    ...(t.departmentId ? { department: { id: t.departmentId, name: dept?.name ?? t.departmentId, ...(dept?.hotline ? { hotline: dept.hotline } : {}) } } : {}),
    skill: t.skill,
    ...(t.summary ? { summary: t.summary } : {}),
    ...(t.claimedBy ? { claimedBy: t.claimedBy } : {}),
    ...(claimedByName ? { claimedByName } : {}),
    ...(t.claimedAt !== null ? { claimedAt: iso(t.claimedAt) } : {}),
    ...(t.closedAt !== null ? { closedAt: iso(t.closedAt) } : {}),
    ...(t.closeNote ? { closeNote: t.closeNote } : {}),
    createdAt: iso(t.createdAt),
  };
}

export function cannedView(r: CannedReplyRecord): CannedReplyView {
  return { id: r.id, title: r.title, text: r.text, ...(r.skill ? { skill: r.skill } : {}), updatedAt: iso(r.updatedAt) };
}
