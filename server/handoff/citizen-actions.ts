/**
 * What a citizen does besides chatting: ask for a person (HandoffPort), leave the queue, leave a message (a
 * ticket with a reference number), rate the navigator, typing and read marks, replay of missed messages.
 * Outside working hours a request for a person ends in 'after-hours' (leave a message or come back).
 */
import { randomUUID } from 'node:crypto';
import type { HandoffInfo, HandoffRequest } from '../assistant/types.ts';
import { DaobanError, isDaobanError } from '../errors/catalogue.ts';
import type { ConversationRecord, RatingScore } from '../storage/handoff-store.ts';
import type { HandoffContext, HandoffParts } from './context.ts';
import { EMAIL, PHONE, text } from './input.ts';
import { recommendDepartment } from './routing.ts';
import { routeRequest } from './request-routing.ts';
import { isBotState, NAVIGATOR_STATES, WAITING_STATES } from './state-machine.ts';
import { TEXTS } from './texts.ts';
import type { CitizenState, LeaveMessageInput, MessageView } from './types.ts';
import { messageView } from './views.ts';

export class CitizenActions {
  constructor(private readonly ctx: HandoffContext, private readonly parts: HandoffParts) {}

  /** HandoffPort: the assistant (or the citizen's "转人工" button) asks for a person. */
  async requestHandoff(request: HandoffRequest): Promise<HandoffInfo> {
    let conv = await this.parts.conv.bySession(request.sessionId);
    if (!isBotState(conv.state)) return (await this.parts.states.handoffInfo(conv))!;
    const now = this.ctx.clock.now();
    const itemId = request.itemId ?? conv.itemId ?? undefined;
    const item = itemId ? this.ctx.kb()?.itemsById.get(itemId) : undefined;
    const actor = request.reason === 'user-request' ? 'citizen' : 'bot';
    conv = await this.parts.conv.move(conv, 'handoff-requested', 'hand off', {
      actor, reason: request.reason, data: { confidence: request.confidence, itemId },
      patch: {
        lang: request.lang,
        ...(itemId ? { itemId } : {}),
        packet: {
          reason: request.reason, confidence: request.confidence, summary: request.summary, situation: request.situation ?? {},
          requestedAt: now, ...(itemId ? { itemId } : {}), ...(item ? { itemTitle: item.title } : {}),
        },
      },
    });
    conv = await routeRequest(this.ctx, this.parts, conv);
    return (await this.parts.states.handoffInfo(conv))!;
  }

  /** The citizen asks for a person directly (a button, not a message to the bot). */
  async citizenRequestsHandoff(sessionId: string): Promise<HandoffInfo> {
    const conv = await this.parts.conv.bySession(sessionId);
    const messages = await this.ctx.store.listMessages(conv.id);
    const lastCitizen = [...messages].reverse().find((m) => m.sender === 'citizen');
    const lastBot = [...messages].reverse().find((m) => m.sender === 'bot');
    const bot = (lastBot?.data as { bot?: { confidence: number } } | null)?.bot;
    return this.requestHandoff({
      sessionId, reason: 'user-request', lang: conv.lang, confidence: bot?.confidence ?? 0,
      summary: lastCitizen ? lastCitizen.text.slice(0, 200) : '', ...(conv.itemId ? { itemId: conv.itemId } : {}),
    });
  }

  /** Leaves the queue (or declines to leave a message after hours). */
  async cancelHandoff(sessionId: string): Promise<CitizenState> {
    let conv = await this.parts.conv.bySession(sessionId);
    if (conv.state === 'after-hours') {
      conv = await this.parts.conv.move(conv, 'bot', 'cancel', { actor: 'citizen', reason: 'citizen-declined-message' });
      await this.parts.conv.announce(conv);
      this.parts.announcer.schedule();
    } else {
      conv = await this.leaveQueue(conv, 'citizen', 'citizen-left-queue');
    }
    return this.parts.states.citizenState(conv);
  }

  /** The conversation leaves the queue (or its offer) and is abandoned; the citizen can ask again later. */
  async leaveQueue(conv: ConversationRecord, actor: 'citizen' | 'system', reason: string): Promise<ConversationRecord> {
    const offeredTo = conv.offeredTo;
    conv = await this.parts.conv.move(conv, 'abandoned', 'leave the queue of', {
      actor, reason, patch: { queueRank: null, offeredTo: null, offerExpiresAt: null },
    });
    this.parts.offers.clearOffer(conv.id, offeredTo, 'citizen-left');
    await this.parts.conv.systemMessage(conv, 'abandoned', TEXTS.abandoned(conv.lang));
    await this.parts.conv.announce(conv);
    this.parts.announcer.schedule();
    return conv;
  }

  /** Whether the conversation waits for a person (a citizen who goes away then gets a grace period). */
  async isWaiting(conversationId: string): Promise<boolean> {
    return WAITING_STATES.includes((await this.ctx.store.getConversation(conversationId))?.state ?? 'bot');
  }

  /** A waiting citizen's grace period ran out: the conversation leaves the queue on their behalf. */
  async abandon(conversationId: string): Promise<void> {
    const conv = await this.parts.conv.load(conversationId);
    if (!WAITING_STATES.includes(conv.state)) return;
    try {
      await this.leaveQueue(conv, 'system', 'citizen-disconnected');
    } catch (e) {
      // a navigator accepted it meanwhile: the citizen finds them on their return
      if (!isDaobanError(e) || e.code !== 'DB_INVALID_TRANSITION') throw e;
    }
  }

  /** Leave a message: the citizen's contact and question become a ticket with a reference number. */
  async leaveMessage(sessionId: string, input: LeaveMessageInput): Promise<HandoffInfo> {
    let conv = await this.parts.conv.bySession(sessionId);
    const name = text(input.name, 'name', 40, false);
    const phone = text(input.phone, 'phone', 20, false);
    const email = text(input.email, 'email', 120, false);
    if (!phone && !email) throw DaobanError.create('MISSING_FIELD', 'phone');
    if (phone && !PHONE.test(phone)) throw DaobanError.create('INVALID_FIELD', 'phone', 'must be a phone number');
    if (email && !EMAIL.test(email)) throw DaobanError.create('INVALID_FIELD', 'email', 'must be an email address');
    const messages = await this.ctx.store.listMessages(conv.id);
    const citizenText = messages.filter((m) => m.sender === 'citizen').map((m) => m.text);
    const question = text(input.question, 'question', 2000, false) ?? citizenText.at(-1);
    if (!question) throw DaobanError.create('MISSING_FIELD', 'question');
    if (NAVIGATOR_STATES.includes(conv.state)) throw DaobanError.create('INVALID_TRANSITION', 'leave a message in', conv.state);

    const kb = this.ctx.kb();
    const department = recommendDepartment(kb, conv.itemId, [...citizenText, question].join('\n'));
    const skill = department?.skill ?? conv.skill;
    if (isBotState(conv.state) && conv.state !== 'after-hours') {
      conv = await this.parts.conv.move(conv, 'handoff-requested', 'leave a message in', { actor: 'citizen', reason: 'leave-message' });
    }
    const ticket = await this.ctx.store.createTicket({
      id: `t_${randomUUID()}`, conversationId: conv.id, name: name ?? null, phone: phone ?? null, email: email ?? null, question,
      departmentId: department?.id ?? null, skill, summary: conv.packet?.summary || null, createdAt: this.ctx.clock.now(),
    });
    const offeredTo = conv.offeredTo;
    conv = await this.parts.conv.move(conv, 'ticket', 'leave a message in', {
      actor: 'citizen', reason: 'citizen-left-message', data: { ticketRef: ticket.ref, departmentId: department?.id },
      patch: { queueRank: null, offeredTo: null, offerExpiresAt: null },
    });
    this.parts.offers.clearOffer(conv.id, offeredTo, 'citizen-left-message');
    await this.parts.conv.ticketCreated(conv, ticket, department?.name);
    this.parts.announcer.schedule();
    return (await this.parts.states.handoffInfo(conv))!;
  }

  /** 好差评: the citizen rates the navigator who last served them. */
  async rate(sessionId: string, score: unknown, comment?: unknown): Promise<CitizenState> {
    const conv = await this.parts.conv.bySession(sessionId);
    if (score !== 'good' && score !== 'average' && score !== 'bad') throw DaobanError.create('INVALID_FIELD', 'score', 'must be "good", "average" or "bad"');
    const note = text(comment, 'comment', 500, false);
    const handling = await this.ctx.store.lastHandling(conv.id);
    if (!handling || (handling.endedAt === null && conv.state !== 'wrap-up')) throw DaobanError.create('INVALID_TRANSITION', 'rate', conv.state);
    const ok = await this.ctx.store.addRating({
      handlingId: handling.id, conversationId: conv.id, navigatorId: handling.navigatorId, score: score as RatingScore,
      comment: note ?? null, createdAt: this.ctx.clock.now(),
    });
    if (!ok) throw DaobanError.create('ALREADY_RATED');
    await this.parts.conv.announce(conv);
    return this.parts.states.citizenState(conv);
  }

  async citizenTyping(sessionId: string, typing: boolean): Promise<void> {
    const conv = await this.parts.conv.bySession(sessionId);
    this.ctx.events.emit('typing', conv, { from: 'citizen', typing: Boolean(typing) });
  }

  async citizenRead(sessionId: string, seq: unknown): Promise<number> {
    const conv = await this.parts.conv.bySession(sessionId);
    if (!Number.isInteger(seq) || (seq as number) < 0) throw DaobanError.create('INVALID_FIELD', 'seq', 'must be a non-negative integer');
    const mark = await this.ctx.store.markRead(conv.id, 'citizen', seq as number);
    this.ctx.events.emit('read', conv, { by: 'citizen', seq: mark });
    return mark;
  }

  /** Messages after `afterSeq` (replay on reconnect; HTTP polling). */
  async citizenMessages(sessionId: string, afterSeq = 0, limit = 500): Promise<MessageView[]> {
    const conv = await this.parts.conv.bySession(sessionId);
    return (await this.ctx.store.listMessages(conv.id, afterSeq, limit)).map(messageView);
  }
}
