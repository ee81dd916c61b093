/**
 * The conversation service: owns who answers a citizen (bot, queue, navigator), routes queued conversations
 * to navigators by skill and capacity, and keeps the transcript. It implements HandoffPort (the assistant asks
 * for a person) and, wrapped around an Assistant, ChatPipeline (HTTP and socket entry points).
 * Every state change is a compare-and-set transition in the store with an appended event; every message is
 * persisted (with its seq) before anyone is told about it. This class is the single entry point: it wires the
 * parts (one module per concern, sharing a HandoffContext) and delegates to them.
 */
import type { ChatReply, Lang } from '../assistant/reply.ts';
import type { Assistant, ChatInput, ChatPipeline, DeltaListener, HandoffInfo, HandoffPort, HandoffRequest } from '../assistant/types.ts';
import { DaobanError } from '../errors/catalogue.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { ConversationRecord, HandoffStore, MessageRecord, NavigatorRecord } from '../storage/handoff-store.ts';
import { NavigatorAccounts, type NewNavigator } from './accounts.ts';
import { CannedReplies } from './canned-replies.ts';
import { CitizenChat } from './chat.ts';
import { CitizenActions } from './citizen-actions.ts';
import { CitizenPresence, type CitizenSockets } from './citizen-presence.ts';
import { CitizenStates } from './citizen-state.ts';
import { systemClock, type Clock } from './clock.ts';
import type { ClusterPort } from './cluster.ts';
import { ConsoleViews } from './console-views.ts';
import type { HandoffContext, HandoffParts, Log } from './context.ts';
import { ConversationMonitor } from './conversation-monitor.ts';
import { Conversations } from './conversations.ts';
import { Dispatcher } from './dispatch.ts';
import { ANYONE, TypedEmitter, type Audience, type HandoffEventMap } from './events.ts';
import { text } from './input.ts';
import { NavigatorActions } from './navigator-actions.ts';
import { NavigatorPresence } from './navigator-presence.ts';
import { Offers } from './offers.ts';
import { Queue, type QueueView } from './queue.ts';
import { QueueAnnouncer } from './queue-announcer.ts';
import { Recovery } from './recovery.ts';
import { Tickets } from './tickets.ts';
import type {
  CannedReplyView, CitizenState, ConversationDetail, ConversationSummary, LeaveMessageInput, LoginResult, MessageView,
  NavigatorStatus, NavigatorView, NoteView, QueueSnapshot, Suggestion, SuggestFn, TicketView, TransferTarget,
} from './types.ts';

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

export { PRIORITY_BY_REASON } from './request-routing.ts';
export type { HandoffEventMap } from './events.ts';

export class HandoffService implements HandoffPort {
  readonly events = new TypedEmitter<HandoffEventMap>();
  readonly accounts: NavigatorAccounts;
  readonly store: HandoffStore;
  /** Supervisor monitoring over this service (the realtime layer and the console routes both use it). */
  readonly monitor = new ConversationMonitor(this);
  private readonly clock: Clock;
  private readonly cluster?: ClusterPort;
  private readonly navigatorNames = new Map<string, string>();
  private closed = false;
  /** Set by the realtime layer (useCitizenSockets); without sockets no citizen is connected. */
  private citizenSockets: CitizenSockets = async () => new Set();
  /** Set by the realtime layer (setAudience): who can hear announcements here. */
  private audience: Audience = ANYONE;

  private readonly conv: Conversations;
  private readonly presence: NavigatorPresence;
  private readonly citizenPresence: CitizenPresence;
  private readonly queue: Queue;
  private readonly offers: Offers;
  private readonly dispatcher: Dispatcher;
  private readonly announcer: QueueAnnouncer;
  private readonly recovery: Recovery;
  private readonly states: CitizenStates;
  private readonly chat: CitizenChat;
  private readonly citizenActions: CitizenActions;
  private readonly navigatorActions: NavigatorActions;
  private readonly views: ConsoleViews;
  private readonly ticketDesk: Tickets;
  private readonly canned: CannedReplies;

  constructor(opts: HandoffServiceOptions) {
    this.store = opts.store;
    this.clock = opts.clock ?? systemClock;
    const log: Log = opts.log ?? { error: (obj, msg) => console.error(msg, obj) };
    this.accounts = new NavigatorAccounts(this.store, this.clock, opts.sessionTtlMs);
    this.cluster = opts.cluster;
    const ctx: HandoffContext = {
      store: this.store, kb: opts.kb, clock: this.clock, events: this.events, audience: () => this.audience, log, cluster: this.cluster,
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
    this.states = new CitizenStates(ctx, this.queue);
    this.offers = new Offers(ctx, this.conv, this.presence, { offerTimeoutMs: opts.offerTimeoutMs ?? 30_000, dispatch: () => this.scheduleDispatch() });
    this.announcer = new QueueAnnouncer(ctx, this.queue, () => this.queueSnapshot());
    this.dispatcher = new Dispatcher(ctx, this.queue, this.presence, this.offers, (notify) => this.schedulePublish(notify));
    const parts: HandoffParts = {
      conv: this.conv, presence: this.presence, queue: this.queue, states: this.states, offers: this.offers,
      dispatcher: this.dispatcher, announcer: this.announcer,
    };
    this.recovery = new Recovery(ctx, parts, {
      sweepMs: opts.sweepMs ?? 5000,
      changed,
      adoptCitizens: (ids) => this.adoptCitizens(ids),
    });
    this.citizenActions = new CitizenActions(ctx, parts);
    this.chat = new CitizenChat(ctx, this.conv, this.states, (request) => this.requestHandoff(request));
    this.navigatorActions = new NavigatorActions(ctx, parts, opts.suggest);
    this.views = new ConsoleViews(ctx, parts);
    this.ticketDesk = new Tickets(ctx, this.conv);
    this.canned = new CannedReplies(ctx);
    this.citizenPresence = new CitizenPresence({
      clock: this.clock,
      graceMs: opts.citizenGraceMs ?? 120_000,
      isWaiting: (id) => this.citizenActions.isWaiting(id),
      abandon: (id) => this.citizenActions.abandon(id),
      onAway: (id, ms) => this.events.emit('citizen-away', id, ms),
      log,
    });
    this.cluster?.onRemoteChange(() => {
      for (const [id, r] of this.cluster!.remotePresence()) this.navigatorNames.set(id, r.navigator.name);
      this.dispatcher.schedule(false);
      this.schedulePublish(false);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle
  // ---------------------------------------------------------------------------------------------

  /**
   * Restores the live state after a (re)start: pending offers go back to the queue (their navigator's socket
   * is gone), navigators holding conversations get the grace period to reconnect, and so do waiting citizens
   * who had a socket and have none open on any instance (multi-instance: at every sweep too); requests for a
   * person a crash interrupted are finished first; routing resumes.
   */
  async start(): Promise<void> {
    await this.canned.seedDefaults();
    for (const n of await this.store.listNavigators()) this.navigatorNames.set(n.id, n.name);
    // With other instances running, their offers and navigators are alive: only orphans are taken care of.
    if (this.cluster) await this.recovery.sweep();
    else await this.recovery.restore();
    this.scheduleDispatch();
    this.schedulePublish();
  }

  /** Stops timers; the store is closed by its owner. */
  async close(): Promise<void> {
    this.closed = true;
    this.recovery.close();
    await this.recovery.settled();
    this.offers.close();
    this.presence.close();
    this.citizenPresence.close();
    await this.dispatcher.running;
    await this.announcer.running;
  }

  /** Resolves when the sweep, routing, queue announcements and citizens' expired grace periods triggered so far have run (tests, benchmarks). */
  async settled(): Promise<void> {
    await this.recovery.settled();
    await this.citizensSettled();
    for (let i = 0; i < 10 && (this.dispatcher.running || this.announcer.running || this.announcer.pending); i++) {
      await this.dispatcher.running;
      await new Promise((r) => setImmediate(r));
      await this.announcer.running;
    }
  }

  /** Resolves when the waiting citizens whose grace period ran out so far have been acted on (tests). */
  citizensSettled(): Promise<void> {
    return this.citizenPresence.settled();
  }

  // ---------------------------------------------------------------------------------------------
  // Citizen side: the pipeline (chat.ts), handoff port and citizen actions (citizen-actions.ts)
  // ---------------------------------------------------------------------------------------------

  /** The ChatPipeline for HTTP and sockets: the assistant answers only while no navigator is involved. */
  useAssistant(assistant: Assistant): ChatPipeline {
    this.chat.use(assistant);
    return { handle: (input, onDelta) => this.handle(input, onDelta) };
  }

  openSession(lang: Lang = 'zh'): Promise<ConversationRecord> {
    return this.conv.openSession(lang);
  }

  /** The conversation a citizen socket joins (a new one without a sessionId), recorded as having had a socket. */
  openCitizenSocket(sessionId: unknown, lang: Lang = 'zh'): Promise<ConversationRecord> {
    return this.conv.forSocket(sessionId, lang);
  }

  bySession(sessionId: unknown): Promise<ConversationRecord> {
    return this.conv.bySession(sessionId);
  }

  handle(input: ChatInput, onDelta?: DeltaListener): Promise<ChatReply> {
    return this.chat.handle(input, onDelta);
  }

  /** Persists the citizen's message (idempotent on clientId) and tells whoever is listening. */
  postCitizenMessage(input: ChatInput): Promise<{ conv: ConversationRecord; message: MessageRecord; duplicate: boolean }> {
    return this.chat.postCitizenMessage(input);
  }

  /** Socket path: lets the bot answer a persisted citizen message when the bot has the conversation; otherwise nothing to do. */
  answerIfBot(conv: ConversationRecord, citizen: MessageRecord): Promise<void> {
    return this.chat.answerIfBot(conv, citizen);
  }

  /** HandoffPort: the assistant (or the citizen's "转人工" button) asks for a person. */
  requestHandoff(request: HandoffRequest): Promise<HandoffInfo> {
    return this.citizenActions.requestHandoff(request);
  }

  /** The citizen asks for a person directly (a button, not a message to the bot). */
  citizenRequestsHandoff(sessionId: string): Promise<HandoffInfo> {
    return this.citizenActions.citizenRequestsHandoff(sessionId);
  }

  /** Leaves the queue (or declines to leave a message after hours). */
  cancelHandoff(sessionId: string): Promise<CitizenState> {
    return this.citizenActions.cancelHandoff(sessionId);
  }

  /**
   * The realtime layer's answer to "which of these conversations have a socket of their citizen open on any
   * instance?", asked when a waiting citizen's grace period starts and ends.
   */
  useCitizenSockets(connectedAmong: CitizenSockets): void {
    this.citizenSockets = connectedAmong;
  }

  /** The realtime layer tells who can hear announcements on this instance (until it is detached: ANYONE again). */
  setAudience(audience: Audience): void {
    this.audience = audience;
  }

  private async connectedAnywhere(conversationId: string): Promise<boolean> {
    return (await this.citizenSockets([conversationId])).has(conversationId);
  }

  /** One question to the cluster for all of them, then each is adopted; unanswered (Redis away), none counts as connected. */
  private async adoptCitizens(conversationIds: readonly string[]): Promise<void> {
    if (!conversationIds.length) return;
    const connected = await this.citizenSockets(conversationIds).catch((): ReadonlySet<string> => new Set());
    await Promise.all(conversationIds.map((id) => this.citizenPresence.adopt(id, () => this.connectedAnywhere(id), connected.has(id))));
  }

  /** A citizen socket joined the conversation: a pending abandonment (page reload) is called off. */
  citizenConnected(conversationId: string): void {
    this.citizenPresence.connected(conversationId);
  }

  /** The citizen's last socket here closed; whether one is open on any instance is asked through useCitizenSockets. */
  citizenDisconnected(conversationId: string): Promise<void> {
    return this.citizenPresence.disconnected(conversationId, () => this.connectedAnywhere(conversationId));
  }

  /** Leave a message: the citizen's contact and question become a ticket with a reference number. */
  leaveMessage(sessionId: string, input: LeaveMessageInput): Promise<HandoffInfo> {
    return this.citizenActions.leaveMessage(sessionId, input);
  }

  /** 好差评: the citizen rates the navigator who last served them. */
  rate(sessionId: string, score: unknown, comment?: unknown): Promise<CitizenState> {
    return this.citizenActions.rate(sessionId, score, comment);
  }

  citizenTyping(sessionId: string, typing: boolean): Promise<void> {
    return this.citizenActions.citizenTyping(sessionId, typing);
  }

  citizenRead(sessionId: string, seq: unknown): Promise<number> {
    return this.citizenActions.citizenRead(sessionId, seq);
  }

  /** Messages after `afterSeq` (replay on reconnect; HTTP polling). */
  citizenMessages(sessionId: string, afterSeq = 0, limit = 500): Promise<MessageView[]> {
    return this.citizenActions.citizenMessages(sessionId, afterSeq, limit);
  }

  citizenState(conv: ConversationRecord, queue?: QueueView): Promise<CitizenState> {
    return this.states.citizenState(conv, queue);
  }

  // ---------------------------------------------------------------------------------------------
  // Navigators: login, presence (navigator-presence.ts), routing (dispatch.ts, offers.ts)
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

  scheduleDispatch(): void {
    this.dispatcher.schedule();
  }

  /** Announces the queue soon; `notify` (default) also makes the other instances re-announce to their sockets. */
  schedulePublish(notify = true): void {
    this.announcer.schedule(notify);
  }

  // ---------------------------------------------------------------------------------------------
  // Navigator actions (navigator-actions.ts)
  // ---------------------------------------------------------------------------------------------

  /** Takes a conversation: its own offer, or one waiting in a queue the navigator serves. Exactly one navigator wins. */
  accept(nav: NavigatorRecord, conversationId: string): Promise<ConversationSummary> {
    return this.navigatorActions.accept(nav, conversationId);
  }

  decline(nav: NavigatorRecord, conversationId: string): Promise<void> {
    return this.navigatorActions.decline(nav, conversationId);
  }

  sendAsNavigator(nav: NavigatorRecord, conversationId: string, body: unknown, clientId?: unknown): Promise<MessageView> {
    return this.navigatorActions.sendAsNavigator(nav, conversationId, body, clientId);
  }

  addNote(nav: NavigatorRecord, conversationId: string, body: unknown, clientId?: unknown): Promise<NoteView> {
    return this.navigatorActions.addNote(nav, conversationId, body, clientId);
  }

  navigatorTyping(nav: NavigatorRecord, conversationId: string, typing: boolean): Promise<void> {
    return this.navigatorActions.navigatorTyping(nav, conversationId, typing);
  }

  navigatorRead(nav: NavigatorRecord, conversationId: string, seq: unknown): Promise<number> {
    return this.navigatorActions.navigatorRead(nav, conversationId, seq);
  }

  /** Hands the conversation to another navigator (offered to them) or to another skill's queue (at its front), with a note. */
  transfer(nav: NavigatorRecord, conversationId: string, target: TransferTarget, note?: unknown): Promise<ConversationSummary> {
    return this.navigatorActions.transfer(nav, conversationId, target, note);
  }

  /** The bot takes the conversation back (the navigator may record a wrap-up code on the way). */
  returnToBot(nav: NavigatorRecord, conversationId: string, code?: unknown, note?: unknown): Promise<ConversationSummary> {
    return this.navigatorActions.returnToBot(nav, conversationId, code, note);
  }

  /** Ends the chat: the citizen is asked to rate while the navigator records the wrap-up. */
  end(nav: NavigatorRecord, conversationId: string): Promise<ConversationSummary> {
    return this.navigatorActions.end(nav, conversationId);
  }

  wrapUp(nav: NavigatorRecord, conversationId: string, code: unknown, note?: unknown): Promise<ConversationSummary> {
    return this.navigatorActions.wrapUp(nav, conversationId, code, note);
  }

  /** Agent assist: knowledge-base replies for the citizen's last question. */
  suggest(nav: NavigatorRecord, conversationId: string): Promise<{ question?: string; suggestions: Suggestion[] }> {
    return this.navigatorActions.suggest(nav, conversationId);
  }

  // ---------------------------------------------------------------------------------------------
  // Console reads (console-views.ts), tickets (tickets.ts), canned replies (canned-replies.ts)
  // ---------------------------------------------------------------------------------------------

  queueSnapshot(): Promise<QueueSnapshot> {
    return this.views.queueSnapshot();
  }

  /** The navigator's conversations: held (with-navigator, wrap-up) and offered to them. */
  activeConversations(nav: NavigatorRecord): Promise<ConversationSummary[]> {
    return this.views.activeConversations(nav);
  }

  conversationDetail(nav: NavigatorRecord, conversationId: string): Promise<ConversationDetail> {
    return this.views.conversationDetail(nav, conversationId);
  }

  conversationMessages(nav: NavigatorRecord, conversationId: string, afterSeq: number): Promise<{ conversation: ConversationSummary; messages: MessageView[] }> {
    return this.views.conversationMessages(nav, conversationId, afterSeq);
  }

  navigators(): Promise<NavigatorView[]> {
    return this.views.navigators();
  }

  navigatorView(n: NavigatorRecord, loads: ReadonlyMap<string, number>): NavigatorView {
    return this.views.navigatorView(n, loads);
  }

  tickets(nav: NavigatorRecord, status?: unknown): Promise<TicketView[]> {
    return this.ticketDesk.tickets(nav, status);
  }

  claimTicket(nav: NavigatorRecord, ticketId: string): Promise<TicketView> {
    return this.ticketDesk.claimTicket(nav, ticketId);
  }

  closeTicket(nav: NavigatorRecord, ticketId: string, note?: unknown): Promise<TicketView> {
    return this.ticketDesk.closeTicket(nav, ticketId, note);
  }

  cannedReplies(nav: NavigatorRecord): Promise<CannedReplyView[]> {
    return this.canned.cannedReplies(nav);
  }

  saveCannedReply(nav: NavigatorRecord, input: { id?: unknown; title?: unknown; text?: unknown; skill?: unknown }): Promise<CannedReplyView> {
    return this.canned.saveCannedReply(nav, input);
  }

  deleteCannedReply(nav: NavigatorRecord, id: string): Promise<void> {
    return this.canned.deleteCannedReply(nav, id);
  }

  summary(c: ConversationRecord): ConversationSummary {
    return this.conv.summary(c);
  }
}
