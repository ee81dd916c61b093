/**
 * The conversation primitives every action is built from: finding a conversation (by session, by id, as a
 * navigator may see or hold it), moving it through the state machine with a compare-and-set transition,
 * system messages, and announcing its new state. Every message is persisted (with its seq) before anyone is told.
 */
import type { Lang } from '../assistant/reply.ts';
import { randomBase64url } from '../common/random-pool.ts';
import { DaobanError } from '../errors/catalogue.ts';
import type { ConversationPatch, ConversationRecord, ConversationState, NavigatorRecord, TicketRecord } from '../storage/handoff-store.ts';
import type { HandoffContext } from './context.ts';
import { GENERAL_SKILL, mayTake } from './routing.ts';
import { assertTransition, NAVIGATOR_STATES } from './state-machine.ts';
import type { CitizenState, ConversationSummary, SystemEvent, TicketView } from './types.ts';
import { TEXTS } from './texts.ts';
import { conversationSummary, messageView, ticketView } from './views.ts';

/**
 * A new id: the time in base 36 (fixed width, so ids sort by it), then `bytes` random bytes, which keep it
 * unguessable. Rows made together sit together in the database's indexes: with wholly random ids every turn's
 * inserts landed on pages all over each index, and a commit wrote them all (2.6× the storage work per turn).
 */
export function timeOrderedId(now: number, bytes: number): string {
  return Math.max(0, Math.floor(now)).toString(36).padStart(9, '0') + randomBase64url(bytes);
}

export class Conversations {
  constructor(
    private readonly ctx: HandoffContext,
    /** What the citizen is told of a conversation's state (citizen-state.ts). */
    private readonly citizenState: (conv: ConversationRecord) => Promise<CitizenState>,
  ) {}

  /** A new conversation; `bySocket` when a citizen socket opens it (recorded for restart recovery). */
  async openSession(lang: Lang = 'zh', bySocket = false): Promise<ConversationRecord> {
    const now = this.ctx.clock.now();
    return this.ctx.store.createConversation({
      id: `c_${timeOrderedId(now, 9)}`,
      sessionId: timeOrderedId(now, 18),
      lang,
      skill: GENERAL_SKILL,
      createdAt: now,
      ...(bySocket ? { citizenSocketAt: now } : {}),
    });
  }

  /**
   * The conversation a citizen socket joins (a new one without a sessionId), recorded as one whose citizen
   * has had a socket: after a restart such a citizen gets a grace period to come back (citizen-presence.ts).
   */
  async forSocket(sessionId: unknown, lang: Lang): Promise<ConversationRecord> {
    if (sessionId === undefined) return this.openSession(lang, true);
    const conv = await this.bySession(sessionId);
    if (conv.citizenSocketAt !== null) return conv;
    const at = this.ctx.clock.now();
    await this.ctx.store.markCitizenSocket(conv.id, at);
    return { ...conv, citizenSocketAt: at };
  }

  async bySession(sessionId: unknown): Promise<ConversationRecord> {
    if (typeof sessionId !== 'string' || !sessionId) throw DaobanError.create('MISSING_FIELD', 'sessionId');
    const conv = await this.ctx.store.getConversationBySession(sessionId);
    if (!conv) throw DaobanError.create('UNKNOWN_SESSION', sessionId.slice(0, 64));
    return conv;
  }

  async load(id: string): Promise<ConversationRecord> {
    const conv = await this.ctx.store.getConversation(id);
    if (!conv) throw DaobanError.create('NOT_FOUND', `Conversation "${id}"`);
    return conv;
  }

  async viewable(nav: NavigatorRecord, id: unknown): Promise<ConversationRecord> {
    if (typeof id !== 'string' || !id) throw DaobanError.create('MISSING_FIELD', 'conversationId');
    const conv = await this.load(id);
    if (nav.role === 'supervisor' || conv.navigatorId === nav.id || conv.offeredTo === nav.id || mayTake(nav, conv.skill)) return conv;
    throw DaobanError.create('FORBIDDEN', `Conversation "${id}" belongs to the "${conv.skill}" skill`);
  }

  /** A conversation the navigator holds (supervisors may act on any held conversation). */
  async held(nav: NavigatorRecord, id: unknown, verb: string): Promise<ConversationRecord> {
    if (typeof id !== 'string' || !id) throw DaobanError.create('MISSING_FIELD', 'conversationId');
    const conv = await this.load(id);
    if (!NAVIGATOR_STATES.includes(conv.state)) throw DaobanError.create('INVALID_TRANSITION', verb, conv.state);
    if (conv.navigatorId !== nav.id && nav.role !== 'supervisor') throw DaobanError.create('NOT_OWNER', conv.id, nav.username);
    return conv;
  }

  async move(
    conv: ConversationRecord, to: ConversationState, verb: string,
    change: { actor: string; reason: string; patch?: ConversationPatch; data?: unknown },
  ): Promise<ConversationRecord> {
    assertTransition(conv.state, to, verb);
    const next = await this.ctx.store.transition(conv.id, conv.version, { to, at: this.ctx.clock.now(), ...change });
    return next ?? this.conflict(conv, verb);
  }

  conflict(conv: ConversationRecord, verb: string): never {
    throw DaobanError.create('INVALID_TRANSITION', verb, `${conv.state} (it changed meanwhile)`);
  }

  async systemMessage(conv: ConversationRecord, event: SystemEvent, body: string): Promise<void> {
    const { message } = await this.ctx.store.appendMessage({ conversationId: conv.id, sender: 'system', text: body, data: { event }, createdAt: this.ctx.clock.now() });
    this.ctx.events.emit('message', conv, messageView(message));
  }

  /** Tells the citizen and the concerned navigators the conversation's new state. */
  async announce(conv: ConversationRecord, alsoNavigators: string[] = []): Promise<void> {
    const citizen = await this.citizenState(conv);
    const navigators = [...new Set([conv.navigatorId, conv.offeredTo, ...alsoNavigators].filter((x): x is string => Boolean(x)))];
    this.ctx.events.emit('state', conv, citizen, this.summary(conv), navigators);
  }

  summary(c: ConversationRecord): ConversationSummary {
    return conversationSummary(this.ctx.kb(), c, (id) => this.ctx.navigatorNames.get(id));
  }

  /** A conversation just moved to 'ticket': the citizen is told the reference, navigators see the ticket. */
  async ticketCreated(conv: ConversationRecord, ticket: TicketRecord, departmentName: string | undefined): Promise<void> {
    await this.systemMessage(conv, 'ticket-created', TEXTS.ticketCreated(conv.lang, ticket.ref, departmentName));
    this.ctx.events.emit('ticket', this.ticketView(ticket));
    await this.announce(conv);
  }

  ticketView(t: TicketRecord): TicketView {
    return ticketView(this.ctx.kb(), t, (id) => this.ctx.navigatorNames.get(id));
  }
}
