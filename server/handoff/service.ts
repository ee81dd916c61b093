/**
 * The conversation service: owns who answers a citizen (bot, queue, navigator), routes queued conversations
 * to navigators by skill and capacity, and keeps the transcript. It implements HandoffPort (the assistant asks
 * for a person) and, wrapped around an Assistant, ChatPipeline (HTTP and socket entry points).
 * Every state change is a compare-and-set transition in the store with an appended event; every message is
 * persisted (with its seq) before anyone is told about it.
 */
import { randomUUID } from 'node:crypto';
import type { ChatReply, Lang } from '../assistant/reply.ts';
import type { Assistant, ChatInput, ChatPipeline, DeltaListener, HandoffInfo, HandoffPort, HandoffRequest } from '../assistant/types.ts';
import { DaobanError, isDaobanError } from '../errors/catalogue.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type {
  ConversationRecord, ConversationState, HandoffStore, MessageRecord, NavigatorRecord, RatingScore,
  TicketStatus,
} from '../storage/handoff-store.ts';
import { NavigatorAccounts, type NewNavigator } from './accounts.ts';
import type { ClusterPort } from './cluster.ts';
import { DEFAULT_CALENDAR, openingAt } from './calendar.ts';
import { DEFAULT_CANNED_REPLIES } from './canned-defaults.ts';
import { CitizenPresence } from './citizen-presence.ts';
import { systemClock, type Clock } from './clock.ts';
import type { HandoffContext, Log } from './context.ts';
import { Conversations } from './conversations.ts';
import { TypedEmitter, type HandoffEventMap } from './events.ts';
import { clientIdOf, EMAIL, PHONE, text } from './input.ts';
import { Dispatcher } from './dispatch.ts';
import { KeyedMutex } from './mutex.ts';
import { Offers } from './offers.ts';
import { QueueAnnouncer } from './queue-announcer.ts';
import { Recovery } from './recovery.ts';
import { NavigatorPresence } from './navigator-presence.ts';
import { Queue, type QueueView } from './queue.ts';
import { GENERAL_SKILL, knownSkills, mayTake, recommendDepartment, skillForItem } from './routing.ts';
import { isBotState, NAVIGATOR_STATES, QUEUE_STATES } from './state-machine.ts';
import { TEXTS } from './texts.ts';
import type {
  CannedReplyView, CitizenState, ConversationDetail, ConversationSummary, LeaveMessageInput, LoginResult, MessageView,
  NavigatorStatus, NavigatorView, NoteView, QueueSnapshot, Suggestion, SuggestFn,
  TicketView, TransferTarget,
} from './types.ts';
import {
  botTurnOf, cannedView, eventView, messageView, noteView, ratingView,
} from './views.ts';
import { WRAP_UP_CODE_IDS } from './wrap-up-codes.ts';

export interface HandoffServiceOptions {
  store: HandoffStore;
  /** The current knowledge base (skills, departments, calendar); undefined until one is loaded. */
  kb: () => KnowledgeBase | undefined;
  clock?: Clock;
  /** Agent assist: replies drafted from the knowledge base for a question. */
  suggest?: SuggestFn;
  /** How long a navigator has to accept an offer (default 30 s). */
  offerTimeoutMs?: number;
  /** How long a disconnected navigator keeps their conversations (default 90 s). */
  graceMs?: number;
  /** How long a waiting citizen whose page closed keeps their place in the queue (default 120 s). */
  citizenGraceMs?: number;
  sessionTtlMs?: number;
  log?: { error(obj: unknown, msg: string): void };
  /** Multi-instance mode: the other instances' navigators, change notices and cluster-wide locks (server/scale). */
  cluster?: ClusterPort;
  /** Multi-instance mode: how often orphaned offers and conversations are looked for (default 5 s). */
  sweepMs?: number;
}

/** Reasons that jump the queue: higher first. */
export const PRIORITY_BY_REASON: Readonly<Record<string, number>> = { emergency: 2, complaint: 1 };

/** Waiting for a person: what a citizen who goes away leaves. */
const WAITING_STATES: readonly ConversationState[] = ['queued', 'offered'];
export type { HandoffEventMap } from './events.ts';

export class HandoffService implements HandoffPort {
  readonly events = new TypedEmitter<HandoffEventMap>();
  readonly accounts: NavigatorAccounts;
  readonly store: HandoffStore;
  private readonly kb: () => KnowledgeBase | undefined;
  private readonly clock: Clock;
  private readonly suggestFn?: SuggestFn;
  private readonly log: Log;
  private assistant?: Assistant;
  private readonly conv: Conversations;

  private readonly presence: NavigatorPresence;
  private readonly queue: Queue;
  private readonly offers: Offers;
  private readonly dispatcher: Dispatcher;
  private readonly announcer: QueueAnnouncer;
  private readonly recovery: Recovery;
  private readonly citizens: CitizenPresence;
  private readonly inflight = new Map<string, Promise<ChatReply>>();
  private readonly navigatorNames = new Map<string, string>();
  private readonly locks = new KeyedMutex();
  private closed = false;
  private readonly cluster?: ClusterPort;

  constructor(opts: HandoffServiceOptions) {
    this.store = opts.store;
    this.kb = opts.kb;
    this.clock = opts.clock ?? systemClock;
    this.suggestFn = opts.suggest;
    this.log = opts.log ?? { error: (obj, msg) => console.error(msg, obj) };
    this.accounts = new NavigatorAccounts(this.store, this.clock, opts.sessionTtlMs);
    this.cluster = opts.cluster;
    const ctx: HandoffContext = {
      store: this.store, kb: this.kb, clock: this.clock, events: this.events, log: this.log, cluster: this.cluster,
      navigatorNames: this.navigatorNames, closed: () => this.closed,
    };
    /** Who can take what changed: route and announce the queue again. */
    const changed = () => {
      this.scheduleDispatch();
      this.schedulePublish();
    };
    this.conv = new Conversations(ctx, (conv) => this.citizenState(conv));
    this.presence = new NavigatorPresence(ctx, {
      graceMs: opts.graceMs ?? 90_000,
      withdrawOffers: (navigatorId) => this.offers.withdrawFrom(navigatorId),
      graceExpired: (navigatorId) => this.recovery.requeueHeldBy(navigatorId),
      changed,
    });
    this.queue = new Queue(ctx, this.presence);
    this.offers = new Offers(ctx, this.conv, this.presence, { offerTimeoutMs: opts.offerTimeoutMs ?? 30_000, dispatch: () => this.scheduleDispatch() });
    this.announcer = new QueueAnnouncer(ctx, this.queue, () => this.queueSnapshot());
    this.dispatcher = new Dispatcher(ctx, this.queue, this.presence, this.offers, () => this.schedulePublish());
    this.recovery = new Recovery(ctx, this.conv, this.queue, this.presence, this.offers, { sweepMs: opts.sweepMs ?? 5000, changed });
    this.citizens = new CitizenPresence({
      clock: this.clock,
      graceMs: opts.citizenGraceMs ?? 120_000,
      isWaiting: async (id) => WAITING_STATES.includes((await this.store.getConversation(id))?.state ?? 'bot'),
      abandon: async (id) => {
        const conv = await this.conv.load(id);
        if (!WAITING_STATES.includes(conv.state)) return;
        try {
          await this.leaveQueue(conv, 'system', 'citizen-disconnected');
        } catch (e) {
          // a navigator accepted it meanwhile: the citizen finds them on their return
          if (!isDaobanError(e) || e.code !== 'DB_INVALID_TRANSITION') throw e;
        }
      },
      onAway: (id, ms) => this.events.emit('citizen-away', id, ms),
      log: this.log,
    });
    this.cluster?.onRemoteChange(() => {
      for (const [id, r] of this.cluster!.remotePresence()) this.navigatorNames.set(id, r.navigator.name);
      this.scheduleDispatch();
      this.schedulePublish(false);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle
  // ---------------------------------------------------------------------------------------------

  /**
   * Restores the live state after a (re)start: pending offers go back to the queue (their navigator's socket
   * is gone), navigators holding conversations get the grace period to reconnect, routing resumes.
   */
  async start(): Promise<void> {
    // The defaults are offered once per database: a list the supervisors emptied stays empty.
    if ((await this.store.claimOnce('canned-defaults', this.clock.now())) && !(await this.store.listCanned()).length) {
      for (const c of DEFAULT_CANNED_REPLIES) await this.store.saveCanned({ ...c, skill: null, updatedAt: this.clock.now(), updatedBy: null });
    }
    for (const n of await this.store.listNavigators()) this.navigatorNames.set(n.id, n.name);
    if (this.cluster) {
      // Other instances are running: their offers and navigators are alive; only orphans are taken care of.
      await this.recovery.sweep();
      this.scheduleDispatch();
      this.schedulePublish();
      return;
    }
    await this.recovery.restore();
    this.scheduleDispatch();
    this.schedulePublish();
  }

  /** Stops timers; the store is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    this.recovery.close();
    this.offers.close();
    this.presence.close();
    this.citizens.close();
    await this.dispatcher.running;
    await this.announcer.running;
  }

  /** Resolves when routing and queue announcements triggered so far have run (tests, benchmarks). */
  async settled(): Promise<void> {
    for (let i = 0; i < 10 && (this.dispatcher.running || this.announcer.running || this.announcer.pending); i++) {
      await this.dispatcher.running;
      await new Promise((r) => setImmediate(r));
      await this.announcer.running;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Citizen side: the pipeline, handoff port and citizen actions
  // ---------------------------------------------------------------------------------------------

  /** The ChatPipeline for HTTP and sockets: the assistant answers only while no navigator is involved. */
  useAssistant(assistant: Assistant): ChatPipeline {
    this.assistant = assistant;
    return { handle: (input, onDelta) => this.handle(input, onDelta) };
  }

  openSession(lang: Lang = 'zh'): Promise<ConversationRecord> {
    return this.conv.openSession(lang);
  }

  bySession(sessionId: unknown): Promise<ConversationRecord> {
    return this.conv.bySession(sessionId);
  }

  async handle(input: ChatInput, onDelta?: DeltaListener): Promise<ChatReply> {
    const { conv, message, duplicate } = await this.postCitizenMessage(input);
    if (duplicate) {
      const pending = this.inflight.get(`${conv.id}:${message.seq}`);
      if (pending) return pending;
      const stored = await this.store.findReply(conv.id, message.seq);
      const bot = (stored?.data as { bot?: ReturnType<typeof botTurnOf> } | null)?.bot;
      if (stored && bot) return { sessionId: conv.sessionId, answer: stored.text, lang: conv.lang, ...bot };
    }
    return this.respond(conv.id, message, onDelta);
  }

  /** Persists the citizen's message (idempotent on clientId) and tells whoever is listening. */
  async postCitizenMessage(input: ChatInput): Promise<{ conv: ConversationRecord; message: MessageRecord; duplicate: boolean }> {
    const body = text(input.message, 'message', 4000)!;
    const clientId = clientIdOf(input.clientId);
    if (input.lang !== undefined && input.lang !== 'zh' && input.lang !== 'en') throw DaobanError.create('INVALID_FIELD', 'lang', 'must be "zh" or "en"');
    let conv = input.sessionId === undefined ? await this.openSession(input.lang) : await this.bySession(input.sessionId);
    if (input.lang && input.lang !== conv.lang) {
      await this.store.updateConversation(conv.id, { lang: input.lang }, this.clock.now());
      conv = { ...conv, lang: input.lang };
    }
    const { message, duplicate } = await this.store.appendMessage({
      conversationId: conv.id, sender: 'citizen', text: body, createdAt: this.clock.now(), ...(clientId ? { clientId } : {}),
    });
    if (!duplicate) this.events.emit('message', conv, messageView(message));
    return { conv, message, duplicate };
  }

  /**
   * Answers a persisted citizen message: the assistant when the conversation is the bot's, otherwise a
   * status reply (the message already went to the queue / navigator).
   */
  async respond(conversationId: string, citizen: MessageRecord, onDelta?: DeltaListener): Promise<ChatReply> {
    const conv = await this.conv.load(conversationId);
    if (!isBotState(conv.state)) return this.routedReply(conv);
    const key = `${conv.id}:${citizen.seq}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const work = this.runAssistant(conv, citizen, onDelta);
    this.inflight.set(key, work);
    try {
      return await work;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** Socket path: lets the bot answer a persisted citizen message when the bot has the conversation; otherwise nothing to do. */
  async answerIfBot(conv: ConversationRecord, citizen: MessageRecord): Promise<void> {
    // `conv` was read just before the message was stored; respond() re-reads it before the bot runs.
    if (!isBotState(conv.state)) return;
    if (await this.store.findReply(conv.id, citizen.seq)) return;
    await this.respond(conv.id, citizen);
  }

  private async runAssistant(conv: ConversationRecord, citizen: MessageRecord, onDelta?: DeltaListener): Promise<ChatReply> {
    if (!this.assistant) throw DaobanError.create('INTERNAL');
    const reply = await this.assistant.reply({ sessionId: conv.sessionId, message: citizen.text, lang: conv.lang }, (chunk, meta) => {
      onDelta?.(chunk, meta);
      this.events.emit('bot-delta', conv, { replyTo: citizen.seq, chunk, ...(meta?.reset ? { reset: true } : {}) });
    });
    if (reply.item && reply.item.id !== conv.itemId) await this.store.updateConversation(conv.id, { itemId: reply.item.id }, this.clock.now());
    let after = await this.conv.load(conv.id);
    if (reply.status === 'handoff' && isBotState(after.state) && after.state !== 'after-hours' && !reply.handoff) {
      // The assistant decided on a person without asking the port: ask on its behalf.
      await this.requestHandoff({
        sessionId: conv.sessionId, reason: reply.intent ?? 'user-request', lang: after.lang, confidence: reply.confidence,
        summary: citizen.text, ...(reply.item ? { itemId: reply.item.id } : {}),
      });
    }
    const { message, duplicate } = await this.store.appendMessage({
      conversationId: conv.id, sender: 'bot', text: reply.answer, data: { bot: botTurnOf(reply) }, replyTo: citizen.seq,
      clientId: `reply-${citizen.seq}`, createdAt: this.clock.now(),
    });
    if (!duplicate) this.events.emit('message', after, messageView(message));
    after = await this.conv.load(conv.id);
    const final: ChatReply = { ...reply, sessionId: conv.sessionId };
    if (!isBotState(after.state) || after.state === 'after-hours' || after.state === 'ticket') {
      const info = await this.handoffInfo(after);
      if (reply.status === 'handoff' && info) final.handoff = reply.handoff ?? info;
    }
    return final;
  }

  private async routedReply(conv: ConversationRecord): Promise<ChatReply> {
    const info = await this.handoffInfo(conv);
    let answer: string;
    if (conv.state === 'with-navigator' || conv.state === 'wrap-up') answer = TEXTS.withNavigator(conv.lang, info?.navigatorName);
    else if (info?.position) answer = TEXTS.queued(conv.lang, info.position, info.waitMinutes);
    else answer = TEXTS.noNavigatorOnline(conv.lang);
    return {
      sessionId: conv.sessionId, status: 'handoff', answer, citations: [], confidence: 1, suggestions: [], lang: conv.lang,
      intent: `handoff:${conv.state}`, ...(info ? { handoff: info } : {}),
    };
  }

  /** HandoffPort: the assistant (or the citizen's "转人工" button) asks for a person. */
  async requestHandoff(request: HandoffRequest): Promise<HandoffInfo> {
    let conv = await this.bySession(request.sessionId);
    if (!isBotState(conv.state)) return (await this.handoffInfo(conv))!;
    const now = this.clock.now();
    const itemId = request.itemId ?? conv.itemId ?? undefined;
    const item = itemId ? this.kb()?.itemsById.get(itemId) : undefined;
    const actor = request.reason === 'user-request' ? 'citizen' : 'bot';
    conv = await this.conv.move(conv, 'handoff-requested', 'hand off', {
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
    const opening = openingAt(this.kb()?.calendar ?? DEFAULT_CALENDAR, now);
    if (!opening.open) {
      conv = await this.conv.move(conv, 'after-hours', 'close', {
        actor: 'system', reason: 'outside-working-hours',
        data: { ...(opening.opensAt ? { opensAt: new Date(opening.opensAt).toISOString() } : {}), ...(opening.holiday ? { holiday: opening.holiday } : {}) },
      });
      const info = (await this.handoffInfo(conv))!;
      await this.conv.systemMessage(conv, 'after-hours', TEXTS.afterHours(conv.lang, info.opensAt, opening.holiday));
      await this.conv.announce(conv);
      return info;
    }
    const skill = skillForItem(this.kb(), itemId);
    conv = await this.conv.move(conv, 'queued', 'queue', {
      actor: 'system', reason: 'routed-to-skill', data: { skill },
      patch: { skill, priority: PRIORITY_BY_REASON[request.reason] ?? 0, queueRank: this.queue.nextRank(), queuedAt: now },
    });
    await this.conv.announce(conv);
    this.scheduleDispatch();
    return (await this.handoffInfo(conv))!;
  }

  /** The citizen asks for a person directly (a button, not a message to the bot). */
  async citizenRequestsHandoff(sessionId: string): Promise<HandoffInfo> {
    const conv = await this.bySession(sessionId);
    const messages = await this.store.listMessages(conv.id);
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
    let conv = await this.bySession(sessionId);
    if (conv.state === 'after-hours') {
      conv = await this.conv.move(conv, 'bot', 'cancel', { actor: 'citizen', reason: 'citizen-declined-message' });
      await this.conv.announce(conv);
      this.schedulePublish();
    } else {
      conv = await this.leaveQueue(conv, 'citizen', 'citizen-left-queue');
    }
    return this.citizenState(conv);
  }

  /** The conversation leaves the queue (or its offer) and is abandoned; the citizen can ask again later. */
  private async leaveQueue(conv: ConversationRecord, actor: 'citizen' | 'system', reason: string): Promise<ConversationRecord> {
    const offeredTo = conv.offeredTo;
    conv = await this.conv.move(conv, 'abandoned', 'leave the queue of', {
      actor, reason, patch: { queueRank: null, offeredTo: null, offerExpiresAt: null },
    });
    this.offers.clearOffer(conv.id, offeredTo, 'citizen-left');
    await this.conv.systemMessage(conv, 'abandoned', TEXTS.abandoned(conv.lang));
    await this.conv.announce(conv);
    this.schedulePublish();
    return conv;
  }

  /** A citizen socket joined the conversation: a pending abandonment (page reload) is called off. */
  citizenConnected(conversationId: string): void {
    this.citizens.connected(conversationId);
  }

  /** The citizen's last socket here closed; `connectedElsewhere` tells whether one is open on any instance. */
  citizenDisconnected(conversationId: string, connectedElsewhere: () => Promise<boolean>): Promise<void> {
    return this.citizens.disconnected(conversationId, connectedElsewhere);
  }

  /** Leave a message: the citizen's contact and question become a ticket with a reference number. */
  async leaveMessage(sessionId: string, input: LeaveMessageInput): Promise<HandoffInfo> {
    let conv = await this.bySession(sessionId);
    const name = text(input.name, 'name', 40, false);
    const phone = text(input.phone, 'phone', 20, false);
    const email = text(input.email, 'email', 120, false);
    if (!phone && !email) throw DaobanError.create('MISSING_FIELD', 'phone');
    if (phone && !PHONE.test(phone)) throw DaobanError.create('INVALID_FIELD', 'phone', 'must be a phone number');
    if (email && !EMAIL.test(email)) throw DaobanError.create('INVALID_FIELD', 'email', 'must be an email address');
    const messages = await this.store.listMessages(conv.id);
    const citizenText = messages.filter((m) => m.sender === 'citizen').map((m) => m.text);
    const question = text(input.question, 'question', 2000, false) ?? citizenText.at(-1);
    if (!question) throw DaobanError.create('MISSING_FIELD', 'question');
    if (NAVIGATOR_STATES.includes(conv.state)) throw DaobanError.create('INVALID_TRANSITION', 'leave a message in', conv.state);

    const kb = this.kb();
    const department = recommendDepartment(kb, conv.itemId, [...citizenText, question].join('\n'));
    const skill = department?.skill ?? conv.skill;
    if (isBotState(conv.state) && conv.state !== 'after-hours') {
      conv = await this.conv.move(conv, 'handoff-requested', 'leave a message in', { actor: 'citizen', reason: 'leave-message' });
    }
    const ticket = await this.store.createTicket({
      id: `t_${randomUUID()}`, conversationId: conv.id, name: name ?? null, phone: phone ?? null, email: email ?? null, question,
      departmentId: department?.id ?? null, skill, summary: conv.packet?.summary || null, createdAt: this.clock.now(),
    });
    const offeredTo = conv.offeredTo;
    conv = await this.conv.move(conv, 'ticket', 'leave a message in', {
      actor: 'citizen', reason: 'citizen-left-message', data: { ticketRef: ticket.ref, departmentId: department?.id },
      patch: { queueRank: null, offeredTo: null, offerExpiresAt: null },
    });
    this.offers.clearOffer(conv.id, offeredTo, 'citizen-left-message');
    await this.conv.systemMessage(conv, 'ticket-created', TEXTS.ticketCreated(conv.lang, ticket.ref, department?.name));
    this.events.emit('ticket', this.conv.ticketView(ticket));
    await this.conv.announce(conv);
    this.schedulePublish();
    return (await this.handoffInfo(conv))!;
  }

  /** 好差评: the citizen rates the navigator who last served them. */
  async rate(sessionId: string, score: unknown, comment?: unknown): Promise<CitizenState> {
    const conv = await this.bySession(sessionId);
    if (score !== 'good' && score !== 'average' && score !== 'bad') throw DaobanError.create('INVALID_FIELD', 'score', 'must be "good", "average" or "bad"');
    const note = text(comment, 'comment', 500, false);
    const handling = await this.store.lastHandling(conv.id);
    if (!handling || (handling.endedAt === null && conv.state !== 'wrap-up')) throw DaobanError.create('INVALID_TRANSITION', 'rate', conv.state);
    const ok = await this.store.addRating({
      handlingId: handling.id, conversationId: conv.id, navigatorId: handling.navigatorId, score: score as RatingScore,
      comment: note ?? null, createdAt: this.clock.now(),
    });
    if (!ok) throw DaobanError.create('ALREADY_RATED');
    await this.conv.announce(conv);
    return this.citizenState(conv);
  }

  async citizenTyping(sessionId: string, typing: boolean): Promise<void> {
    const conv = await this.bySession(sessionId);
    this.events.emit('typing', conv, { from: 'citizen', typing: Boolean(typing) });
  }

  async citizenRead(sessionId: string, seq: unknown): Promise<number> {
    const conv = await this.bySession(sessionId);
    if (!Number.isInteger(seq) || (seq as number) < 0) throw DaobanError.create('INVALID_FIELD', 'seq', 'must be a non-negative integer');
    const mark = await this.store.markRead(conv.id, 'citizen', seq as number);
    this.events.emit('read', conv, { by: 'citizen', seq: mark });
    return mark;
  }

  /** Messages after `afterSeq` (replay on reconnect; HTTP polling). */
  async citizenMessages(sessionId: string, afterSeq = 0, limit = 500): Promise<MessageView[]> {
    const conv = await this.bySession(sessionId);
    return (await this.store.listMessages(conv.id, afterSeq, limit)).map(messageView);
  }

  async citizenState(conv: ConversationRecord, queue?: QueueView): Promise<CitizenState> {
    const q = queue ?? (QUEUE_STATES.includes(conv.state) ? await this.queue.view() : undefined);
    const info = await this.handoffInfo(conv, q);
    const status = q && (conv.state === 'queued' || conv.state === 'offered') ? await this.queue.status(conv, q) : undefined;
    const responder = isBotState(conv.state) ? 'bot' : NAVIGATOR_STATES.includes(conv.state) ? 'navigator' : 'queue';
    const navigatorName = conv.navigatorId ? this.navigatorNames.get(conv.navigatorId) : undefined;
    return {
      state: conv.state,
      responder,
      ...(info ? { handoff: info } : {}),
      ...(status ? { queue: status } : {}),
      ...(navigatorName ? { navigatorName } : {}),
      canRate: await this.canRate(conv),
      lastSeq: conv.lastSeq,
      navigatorReadSeq: conv.navigatorReadSeq,
      lang: conv.lang,
    };
  }

  private async canRate(conv: ConversationRecord): Promise<boolean> {
    const h = await this.store.lastHandling(conv.id);
    if (!h || (h.endedAt === null && conv.state !== 'wrap-up')) return false;
    return !(await this.store.getRating(h.id));
  }

  /** What the citizen is told about the handoff right now (undefined while the bot has the conversation). */
  async handoffInfo(conv: ConversationRecord, queue?: QueueView): Promise<HandoffInfo | undefined> {
    switch (conv.state) {
      case 'handoff-requested':
      case 'queued':
      case 'offered': {
        const status = await this.queue.status(conv, queue ?? (await this.queue.view()));
        return {
          state: conv.state === 'offered' ? 'offered' : 'queued',
          position: status.position,
          ...(status.waitMinutes ? { waitMinutes: status.waitMinutes } : {}),
        };
      }
      case 'with-navigator':
      case 'wrap-up': {
        const name = conv.navigatorId ? this.navigatorNames.get(conv.navigatorId) : undefined;
        return { state: 'with-navigator', ...(name ? { navigatorName: name } : {}) };
      }
      case 'after-hours': {
        const kb = this.kb();
        const opening = openingAt(kb?.calendar ?? DEFAULT_CALENDAR, this.clock.now());
        const citizenText = (await this.store.listMessages(conv.id)).filter((m) => m.sender === 'citizen').map((m) => m.text).join('\n');
        const d = recommendDepartment(kb, conv.itemId, citizenText);
        return {
          state: opening.open ? 'unavailable' : 'after-hours',
          ...(opening.opensAt ? { opensAt: new Date(opening.opensAt).toISOString() } : {}),
          ...(d ? { department: { id: d.id, name: d.name, ...(d.hotline ? { hotline: d.hotline } : {}) } } : {}),
        };
      }
      case 'ticket': {
        const t = (await this.store.listTickets({ conversationId: conv.id })).at(-1);
        if (!t) return { state: 'ticket' };
        const d = t.departmentId ? this.kb()?.departmentsById.get(t.departmentId) : undefined;
        return {
          state: 'ticket', ticketRef: t.ref,
          ...(t.departmentId ? { department: { id: t.departmentId, name: d?.name ?? t.departmentId, ...(d?.hotline ? { hotline: d.hotline } : {}) } } : {}),
        };
      }
      default:
        return undefined;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Navigators: login, presence, routing
  // ---------------------------------------------------------------------------------------------

  async createNavigator(n: NewNavigator): Promise<NavigatorView> {
    const rec = await this.accounts.create(n);
    this.navigatorNames.set(rec.id, rec.name);
    return this.navigatorView(rec, new Map());
  }

  async login(username: unknown, password: unknown): Promise<LoginResult> {
    const u = text(username, 'username', 40)!;
    if (typeof password !== 'string' || !password) throw DaobanError.create('MISSING_FIELD', 'password');
    const { token, expiresAt, navigator } = await this.accounts.login(u, password);
    this.navigatorNames.set(navigator.id, navigator.name);
    return { token, expiresAt: new Date(expiresAt).toISOString(), navigator: this.navigatorView(navigator, (await this.queue.view()).loads) };
  }

  async authenticate(token: string | undefined): Promise<{ navigator: NavigatorRecord; expiresAt: number }> {
    const r = await this.accounts.authenticate(token);
    this.navigatorNames.set(r.navigator.id, r.navigator.name);
    return r;
  }

  /** A navigator socket connected (several tabs count once). */
  navigatorConnected(navigator: NavigatorRecord, status: 'available' | 'away' = 'available'): void {
    this.presence.connected(navigator, status);
  }

  /** A navigator socket went away; when it was the last, offers are withdrawn and the grace period starts. */
  navigatorDisconnected(navigatorId: string): Promise<void> {
    return this.presence.disconnected(navigatorId);
  }

  setStatus(navigatorId: string, status: unknown): NavigatorStatus {
    if (status !== 'available' && status !== 'away') throw DaobanError.create('INVALID_FIELD', 'status', 'must be "available" or "away"');
    return this.presence.setStatus(navigatorId, status);
  }

  /** A per-key critical section: in-process, and cluster-wide in multi-instance mode. */
  private withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const cluster = this.cluster;
    return cluster ? this.locks.run(key, () => cluster.withLock(key, fn)) : this.locks.run(key, fn);
  }

  scheduleDispatch(): void {
    this.dispatcher.schedule();
  }

  // ---------------------------------------------------------------------------------------------
  // Navigator actions
  // ---------------------------------------------------------------------------------------------

  /** Takes a conversation: its own offer, or one waiting in a queue the navigator serves. Exactly one navigator wins. */
  async accept(nav: NavigatorRecord, conversationId: string): Promise<ConversationSummary> {
    return this.withLock(`nav:${nav.id}`, async () => {
      const conv = await this.conv.load(conversationId);
      if (NAVIGATOR_STATES.includes(conv.state)) throw DaobanError.create('ALREADY_CLAIMED', conv.id);
      if (conv.state === 'offered' && conv.offeredTo !== nav.id) throw DaobanError.create('ALREADY_CLAIMED', conv.id);
      if (conv.state !== 'queued' && conv.state !== 'offered') throw DaobanError.create('INVALID_TRANSITION', 'accept', conv.state);
      if (!mayTake(nav, conv.skill)) throw DaobanError.create('SKILL_MISMATCH', nav.username, conv.skill);
      const held = (await this.queue.view()).loads.get(nav.id) ?? 0;
      const ownOffer = conv.state === 'offered' ? 1 : 0;
      if (held - ownOffer >= nav.capacity) throw DaobanError.create('CAPACITY_FULL', nav.username, nav.capacity);
      const now = this.clock.now();
      const next = await this.store.transition(conv.id, conv.version, {
        to: 'with-navigator', patch: { navigatorId: nav.id, offeredTo: null, offerExpiresAt: null, queueRank: null },
        actor: `navigator:${nav.id}`, reason: conv.state === 'offered' ? 'offer-accepted' : 'picked-from-queue', at: now,
      });
      if (!next) throw DaobanError.create('ALREADY_CLAIMED', conv.id);
      this.offers.clearOffer(conv.id, null, 'accepted');
      this.navigatorNames.set(nav.id, nav.name);
      await this.store.startHandling({ id: `h_${randomUUID()}`, conversationId: conv.id, navigatorId: nav.id, skill: conv.skill, acceptedAt: now });
      await this.conv.systemMessage(next, 'navigator-joined', TEXTS.navigatorJoined(next.lang, nav.name));
      await this.conv.announce(next);
      this.scheduleDispatch();
      this.schedulePublish();
      return this.summary(next);
    });
  }

  async decline(nav: NavigatorRecord, conversationId: string): Promise<void> {
    const conv = await this.conv.load(conversationId);
    if (conv.state !== 'offered' || conv.offeredTo !== nav.id) throw DaobanError.create('INVALID_TRANSITION', 'decline', conv.state);
    await this.offers.returnOffer(conv, 'declined', true);
  }

  async sendAsNavigator(nav: NavigatorRecord, conversationId: string, body: unknown, clientId?: unknown): Promise<MessageView> {
    const t = text(body, 'text', 4000)!;
    const cid = clientIdOf(clientId);
    const conv = await this.conv.held(nav, conversationId, 'send to');
    const { message, duplicate } = await this.store.appendMessage({
      conversationId: conv.id, sender: 'navigator', authorId: nav.id, authorName: nav.name, text: t, createdAt: this.clock.now(),
      ...(cid ? { clientId: cid } : {}),
    });
    const view = messageView(message);
    if (!duplicate) this.events.emit('message', conv, view);
    return view;
  }

  async addNote(nav: NavigatorRecord, conversationId: string, body: unknown, clientId?: unknown): Promise<NoteView> {
    const t = text(body, 'text', 4000)!;
    const cid = clientIdOf(clientId);
    const conv = await this.conv.viewable(nav, conversationId);
    const { note, duplicate } = await this.store.addNote({
      id: cid ?? randomUUID(), conversationId: conv.id, navigatorId: nav.id, authorName: nav.name, text: t, createdAt: this.clock.now(),
    });
    const view = noteView(note);
    if (!duplicate) this.events.emit('note', conv, view);
    return view;
  }

  async navigatorTyping(nav: NavigatorRecord, conversationId: string, typing: boolean): Promise<void> {
    const conv = await this.conv.held(nav, conversationId, 'type in');
    this.events.emit('typing', conv, { from: 'navigator', typing: Boolean(typing), name: nav.name });
  }

  async navigatorRead(nav: NavigatorRecord, conversationId: string, seq: unknown): Promise<number> {
    if (!Number.isInteger(seq) || (seq as number) < 0) throw DaobanError.create('INVALID_FIELD', 'seq', 'must be a non-negative integer');
    const conv = await this.conv.held(nav, conversationId, 'read');
    const mark = await this.store.markRead(conv.id, 'navigator', seq as number);
    this.events.emit('read', conv, { by: 'navigator', seq: mark });
    return mark;
  }

  /** Hands the conversation to another navigator (offered to them) or to another skill's queue (at its front), with a note. */
  async transfer(nav: NavigatorRecord, conversationId: string, target: TransferTarget, note?: unknown): Promise<ConversationSummary> {
    const noteText = text(note, 'note', 1000, false);
    return this.withLock(`conv:${conversationId}`, async () => {
      let conv = await this.conv.held(nav, conversationId, 'transfer');
      if (conv.state !== 'with-navigator') throw DaobanError.create('INVALID_TRANSITION', 'transfer', conv.state);
      const packet = { ...(conv.packet ?? { reason: 'transfer', confidence: 1, summary: '', situation: {}, requestedAt: this.clock.now() }), transferredBy: nav.name, ...(noteText ? { transferNote: noteText } : {}) };
      const handling = await this.store.openHandling(conv.id);
      const now = this.clock.now();
      if (noteText) await this.addNote(nav, conv.id, `转接说明：${noteText}`);
      if (target && typeof target === 'object' && 'navigatorId' in target) {
        const local = this.presence.get(target.navigatorId);
        const remote = this.cluster?.remotePresence().get(target.navigatorId);
        const p = local && local.sockets > 0 ? local : remote ? { navigator: { ...remote.navigator, passwordHash: '' }, sockets: remote.sockets } : undefined;
        if (!p || p.sockets === 0 || target.navigatorId === nav.id) throw DaobanError.create('NAVIGATOR_UNAVAILABLE', String(target.navigatorId));
        if (!mayTake(p.navigator, conv.skill)) throw DaobanError.create('SKILL_MISMATCH', p.navigator.username, conv.skill);
        const load = (await this.queue.view()).loads.get(p.navigator.id) ?? 0;
        if (load >= p.navigator.capacity) throw DaobanError.create('CAPACITY_FULL', p.navigator.username, p.navigator.capacity);
        conv = (await this.store.transition(conv.id, conv.version, {
          to: 'queued', patch: { navigatorId: null, packet, queueRank: await this.queue.frontRank(), queuedAt: now }, actor: `navigator:${nav.id}`,
          reason: 'transferred-to-navigator', data: { to: p.navigator.id, note: noteText }, at: now,
        })) ?? this.conv.conflict(conv, 'transfer');
        if (handling) await this.store.endHandling(handling.id, { endedAt: now, outcome: 'transferred' });
        await this.conv.systemMessage(conv, 'transferred', TEXTS.transferred(conv.lang));
        await this.offers.offer(conv, p.navigator.id, 'transfer-offer', nav.name);
        await this.conv.announce((await this.conv.load(conv.id)), [nav.id]);
      } else if (target && typeof target === 'object' && 'skill' in target) {
        const skill = text(target.skill, 'to.skill', 60)!;
        const skills = new Set([...knownSkills(this.kb()), ...[...this.presence.values()].flatMap((p) => p.navigator.skills)]);
        if (!skills.has(skill)) throw DaobanError.create('INVALID_FIELD', 'to.skill', `unknown skill; known: ${[...skills].join(', ')}`);
        conv = (await this.store.transition(conv.id, conv.version, {
          to: 'queued', patch: { navigatorId: null, skill, packet, queueRank: await this.queue.frontRank(), queuedAt: now },
          actor: `navigator:${nav.id}`, reason: 'transferred-to-skill', data: { skill, note: noteText }, at: now,
        })) ?? this.conv.conflict(conv, 'transfer');
        if (handling) await this.store.endHandling(handling.id, { endedAt: now, outcome: 'transferred' });
        this.offers.forgetDeclined(conv.id);
        await this.conv.systemMessage(conv, 'transferred', TEXTS.transferred(conv.lang));
        await this.conv.announce(conv, [nav.id]);
        this.scheduleDispatch();
      } else {
        throw DaobanError.create('INVALID_FIELD', 'to', 'must be { navigatorId } or { skill }');
      }
      this.schedulePublish();
      return this.summary(await this.conv.load(conv.id));
    });
  }

  /** The bot takes the conversation back (the navigator may record a wrap-up code on the way). */
  async returnToBot(nav: NavigatorRecord, conversationId: string, code?: unknown, note?: unknown): Promise<ConversationSummary> {
    const wrapCode = code === undefined || code === null || code === '' ? undefined : this.wrapCode(code);
    const wrapNote = text(note, 'note', 1000, false);
    let conv = await this.conv.held(nav, conversationId, 'return to the bot');
    const handling = await this.store.openHandling(conv.id);
    conv = await this.conv.move(conv, 'bot', 'return to the bot', { actor: `navigator:${nav.id}`, reason: 'returned-to-bot', patch: { navigatorId: null }, data: { code: wrapCode } });
    if (handling) await this.store.endHandling(handling.id, { endedAt: this.clock.now(), outcome: 'returned-to-bot', ...(wrapCode ? { wrapCode } : {}), ...(wrapNote ? { wrapNote } : {}) });
    await this.conv.systemMessage(conv, 'returned-to-bot', TEXTS.returnedToBot(conv.lang));
    await this.conv.announce(conv, [nav.id]);
    this.scheduleDispatch();
    this.schedulePublish();
    return this.summary(conv);
  }

  /** Ends the chat: the citizen is asked to rate while the navigator records the wrap-up. */
  async end(nav: NavigatorRecord, conversationId: string): Promise<ConversationSummary> {
    let conv = await this.conv.held(nav, conversationId, 'end');
    conv = await this.conv.move(conv, 'wrap-up', 'end', { actor: `navigator:${nav.id}`, reason: 'navigator-ended' });
    await this.conv.systemMessage(conv, 'chat-ended', TEXTS.chatEnded(conv.lang));
    await this.conv.announce(conv);
    return this.summary(conv);
  }

  async wrapUp(nav: NavigatorRecord, conversationId: string, code: unknown, note?: unknown): Promise<ConversationSummary> {
    const wrapCode = this.wrapCode(code);
    const wrapNote = text(note, 'note', 1000, false);
    let conv = await this.conv.held(nav, conversationId, 'wrap up');
    const ended = conv.state === 'with-navigator';
    const handling = await this.store.openHandling(conv.id);
    conv = await this.conv.move(conv, 'resolved', 'wrap up', { actor: `navigator:${nav.id}`, reason: 'wrapped-up', patch: { navigatorId: null }, data: { code: wrapCode } });
    if (handling) await this.store.endHandling(handling.id, { endedAt: this.clock.now(), outcome: 'resolved', wrapCode, ...(wrapNote ? { wrapNote } : {}) });
    if (ended) await this.conv.systemMessage(conv, 'chat-ended', TEXTS.chatEnded(conv.lang));
    await this.conv.announce(conv, [nav.id]);
    this.scheduleDispatch();
    this.schedulePublish();
    return this.summary(conv);
  }

  private wrapCode(code: unknown): string {
    if (typeof code !== 'string' || !code) throw DaobanError.create('MISSING_FIELD', 'code');
    if (!WRAP_UP_CODE_IDS.includes(code)) throw DaobanError.create('INVALID_FIELD', 'code', `must be one of ${WRAP_UP_CODE_IDS.join(', ')}`);
    return code;
  }

  /** Agent assist: knowledge-base replies for the citizen's last question. */
  async suggest(nav: NavigatorRecord, conversationId: string): Promise<{ question?: string; suggestions: Suggestion[] }> {
    const conv = await this.conv.viewable(nav, conversationId);
    const messages = await this.store.listMessages(conv.id);
    const question = [...messages].reverse().find((m) => m.sender === 'citizen')?.text;
    if (!question || !this.suggestFn) return { ...(question ? { question } : {}), suggestions: [] };
    const found = await this.suggestFn(question);
    return { question, suggestions: found.map((s) => ({ text: s.text, ...(s.citation ? { citation: s.citation } : {}) })) };
  }

  // ---------------------------------------------------------------------------------------------
  // Console reads
  // ---------------------------------------------------------------------------------------------

  async queueSnapshot(): Promise<QueueSnapshot> {
    const q = await this.queue.view();
    const now = this.clock.now();
    const skills = new Set([...knownSkills(this.kb()), ...q.bySkill.keys()]);
    return {
      at: new Date(now).toISOString(),
      skills: [...skills].map((skill) => {
        const list = q.bySkill.get(skill) ?? [];
        const s = this.queue.slots(skill, q.loads);
        const waiting = list.map((c, i) => {
          const since = c.queuedAt ?? c.stateSince;
          const title = c.packet?.itemTitle ?? (c.itemId ? this.kb()?.itemsById.get(c.itemId)?.title : undefined);
          return {
            conversationId: c.id, skill, priority: c.priority, position: i + 1, state: c.state as 'queued' | 'offered',
            ...(c.offeredTo ? { offeredTo: c.offeredTo } : {}), waitingSince: new Date(since).toISOString(), waitingMs: now - since,
            ...(c.packet ? { reason: c.packet.reason, summary: c.packet.summary } : {}), ...(title ? { itemTitle: title } : {}),
          };
        });
        return { skill, waiting, longestWaitMs: Math.max(0, ...waiting.map((w) => w.waitingMs)), navigatorsOnline: s.online, totalSlots: s.total, freeSlots: s.free };
      }),
    };
  }

  /** The navigator's conversations: held (with-navigator, wrap-up) and offered to them. */
  async activeConversations(nav: NavigatorRecord): Promise<ConversationSummary[]> {
    const q = await this.queue.view();
    return q.active.filter((c) => c.navigatorId === nav.id || c.offeredTo === nav.id).map((c) => this.summary(c));
  }

  async conversationDetail(nav: NavigatorRecord, conversationId: string): Promise<ConversationDetail> {
    const conv = await this.conv.viewable(nav, conversationId);
    const [messages, notes, events, ratings, tickets] = await Promise.all([
      this.store.listMessages(conv.id, 0, 10_000), this.store.listNotes(conv.id), this.store.listEvents(conv.id),
      this.store.listRatings(conv.id), this.store.listTickets({ conversationId: conv.id }),
    ]);
    return {
      conversation: this.summary(conv),
      messages: messages.map(messageView),
      notes: notes.map(noteView),
      events: events.map(eventView),
      ratings: ratings.map(ratingView),
      tickets: tickets.map((t) => this.conv.ticketView(t)),
    };
  }

  async conversationMessages(nav: NavigatorRecord, conversationId: string, afterSeq: number): Promise<{ conversation: ConversationSummary; messages: MessageView[] }> {
    const conv = await this.conv.viewable(nav, conversationId);
    return { conversation: this.summary(conv), messages: (await this.store.listMessages(conv.id, afterSeq, 10_000)).map(messageView) };
  }

  async navigators(): Promise<NavigatorView[]> {
    const loads = (await this.queue.view()).loads;
    return (await this.store.listNavigators()).filter((n) => n.active).map((n) => this.navigatorView(n, loads));
  }

  navigatorView(n: NavigatorRecord, loads: Map<string, number>): NavigatorView {
    const p = this.presence.get(n.id);
    return {
      id: n.id, username: n.username, name: n.name, role: n.role, skills: n.skills, capacity: n.capacity,
      status: p && p.sockets > 0 ? p.status : this.cluster?.remotePresence().get(n.id)?.status ?? 'offline', load: loads.get(n.id) ?? 0,
    };
  }

  // tickets

  async tickets(nav: NavigatorRecord, status?: unknown): Promise<TicketView[]> {
    if (status !== undefined && status !== 'open' && status !== 'claimed' && status !== 'closed') {
      throw DaobanError.create('INVALID_FIELD', 'status', 'must be open, claimed or closed');
    }
    const skills = nav.role === 'supervisor' ? undefined : [...new Set([...nav.skills, GENERAL_SKILL])];
    const list = await this.store.listTickets({ ...(status ? { status: status as TicketStatus } : {}), ...(skills ? { skills } : {}) });
    return list.map((t) => this.conv.ticketView(t));
  }

  async claimTicket(nav: NavigatorRecord, ticketId: string): Promise<TicketView> {
    const t = await this.store.getTicket(ticketId);
    if (!t) throw DaobanError.create('NOT_FOUND', `Ticket "${ticketId}"`);
    if (!mayTake(nav, t.skill)) throw DaobanError.create('SKILL_MISMATCH', nav.username, t.skill);
    const claimed = await this.store.claimTicket(ticketId, nav.id, this.clock.now());
    if (!claimed) throw DaobanError.create('TICKET_NOT_OPEN', ticketId, (await this.store.getTicket(ticketId))?.status ?? 'gone');
    const view = this.conv.ticketView(claimed);
    this.events.emit('ticket', view);
    return view;
  }

  async closeTicket(nav: NavigatorRecord, ticketId: string, note?: unknown): Promise<TicketView> {
    const closeNote = text(note, 'note', 1000, false);
    const t = await this.store.getTicket(ticketId);
    if (!t) throw DaobanError.create('NOT_FOUND', `Ticket "${ticketId}"`);
    if (t.status === 'claimed' && t.claimedBy !== nav.id && nav.role !== 'supervisor') throw DaobanError.create('FORBIDDEN', 'Only the navigator who claimed the ticket, or a supervisor, can close it');
    if (t.status === 'open' && !mayTake(nav, t.skill)) throw DaobanError.create('SKILL_MISMATCH', nav.username, t.skill);
    const closed = await this.store.closeTicket(ticketId, closeNote ?? null, this.clock.now());
    if (!closed) throw DaobanError.create('TICKET_NOT_OPEN', ticketId, t.status);
    const view = this.conv.ticketView(closed);
    this.events.emit('ticket', view);
    return view;
  }

  // canned replies

  async cannedReplies(nav: NavigatorRecord): Promise<CannedReplyView[]> {
    return (await this.store.listCanned()).filter((c) => !c.skill || nav.role === 'supervisor' || nav.skills.includes(c.skill)).map(cannedView);
  }

  async saveCannedReply(nav: NavigatorRecord, input: { id?: unknown; title?: unknown; text?: unknown; skill?: unknown }): Promise<CannedReplyView> {
    const id = input.id === undefined ? randomUUID() : text(input.id, 'id', 60)!;
    const title = text(input.title, 'title', 40)!;
    const body = text(input.text, 'text', 2000)!;
    const skill = text(input.skill, 'skill', 60, false) ?? null;
    const rec = { id, title, text: body, skill, updatedAt: this.clock.now(), updatedBy: nav.id };
    await this.store.saveCanned(rec);
    return cannedView(rec);
  }

  async deleteCannedReply(_nav: NavigatorRecord, id: string): Promise<void> {
    if (!(await this.store.deleteCanned(id))) throw DaobanError.create('NOT_FOUND', `Canned reply "${id}"`);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  summary(c: ConversationRecord): ConversationSummary {
    return this.conv.summary(c);
  }

  /** Announces the queue soon; `notify` (default) also makes the other instances re-announce to their sockets. */
  schedulePublish(notify = true): void {
    this.announcer.schedule(notify);
  }
}
