/**
 * What a navigator does with a conversation: accept (exactly one navigator wins, within capacity), decline,
 * write to the citizen, internal notes, typing and read marks, transfer to a navigator or a skill's queue,
 * hand back to the bot, end and wrap up with a code, and agent-assist suggestions from the knowledge base.
 */
import { randomUUID } from 'node:crypto';
import { DaobanError } from '../errors/catalogue.ts';
import type { NavigatorRecord } from '../storage/handoff-store.ts';
import type { HandoffContext, HandoffParts } from './context.ts';
import { clientIdOf, text } from './input.ts';
import { KeyedMutex } from './mutex.ts';
import { knownSkills, mayTake } from './routing.ts';
import { NAVIGATOR_STATES } from './state-machine.ts';
import { TEXTS } from './texts.ts';
import type { ConversationSummary, MessageView, NoteView, Suggestion, SuggestFn, TransferTarget } from './types.ts';
import { messageView, noteView } from './views.ts';
import { WRAP_UP_CODE_IDS } from './wrap-up-codes.ts';

export class NavigatorActions {
  private readonly locks = new KeyedMutex();

  constructor(
    private readonly ctx: HandoffContext,
    private readonly parts: HandoffParts,
    /** Agent assist: replies drafted from the knowledge base for a question. */
    private readonly suggestFn?: SuggestFn,
  ) {}

  /** A per-key critical section: in-process, and cluster-wide in multi-instance mode. */
  private withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const cluster = this.ctx.cluster;
    return cluster ? this.locks.run(key, () => cluster.withLock(key, fn)) : this.locks.run(key, fn);
  }

  /** Takes a conversation: its own offer, or one waiting in a queue the navigator serves. Exactly one navigator wins. */
  async accept(nav: NavigatorRecord, conversationId: string): Promise<ConversationSummary> {
    return this.withLock(`nav:${nav.id}`, async () => {
      const conv = await this.parts.conv.load(conversationId);
      if (NAVIGATOR_STATES.includes(conv.state)) throw DaobanError.create('ALREADY_CLAIMED', conv.id);
      if (conv.state === 'offered' && conv.offeredTo !== nav.id) throw DaobanError.create('ALREADY_CLAIMED', conv.id);
      if (conv.state !== 'queued' && conv.state !== 'offered') throw DaobanError.create('INVALID_TRANSITION', 'accept', conv.state);
      if (!mayTake(nav, conv.skill)) throw DaobanError.create('SKILL_MISMATCH', nav.username, conv.skill);
      const held = (await this.parts.queue.view()).loads.get(nav.id) ?? 0;
      const ownOffer = conv.state === 'offered' ? 1 : 0;
      if (held - ownOffer >= nav.capacity) throw DaobanError.create('CAPACITY_FULL', nav.username, nav.capacity);
      const now = this.ctx.clock.now();
      const next = await this.ctx.store.transition(conv.id, conv.version, {
        to: 'with-navigator', patch: { navigatorId: nav.id, offeredTo: null, offerExpiresAt: null, queueRank: null },
        actor: `navigator:${nav.id}`, reason: conv.state === 'offered' ? 'offer-accepted' : 'picked-from-queue', at: now,
      });
      if (!next) throw DaobanError.create('ALREADY_CLAIMED', conv.id);
      this.parts.offers.clearOffer(conv.id, null, 'accepted');
      this.ctx.navigatorNames.set(nav.id, nav.name);
      await this.ctx.store.startHandling({ id: `h_${randomUUID()}`, conversationId: conv.id, navigatorId: nav.id, skill: conv.skill, acceptedAt: now });
      await this.parts.conv.systemMessage(next, 'navigator-joined', TEXTS.navigatorJoined(next.lang, nav.name));
      await this.parts.conv.announce(next);
      this.parts.dispatcher.schedule();
      this.parts.announcer.schedule();
      return this.parts.conv.summary(next);
    });
  }

  async decline(nav: NavigatorRecord, conversationId: string): Promise<void> {
    const conv = await this.parts.conv.load(conversationId);
    if (conv.state !== 'offered' || conv.offeredTo !== nav.id) throw DaobanError.create('INVALID_TRANSITION', 'decline', conv.state);
    await this.parts.offers.returnOffer(conv, 'declined', true);
  }

  async sendAsNavigator(nav: NavigatorRecord, conversationId: string, body: unknown, clientId?: unknown): Promise<MessageView> {
    const t = text(body, 'text', 4000)!;
    const cid = clientIdOf(clientId);
    const conv = await this.parts.conv.held(nav, conversationId, 'send to');
    const { message, duplicate } = await this.ctx.store.appendMessage({
      conversationId: conv.id, sender: 'navigator', authorId: nav.id, authorName: nav.name, text: t, createdAt: this.ctx.clock.now(),
      ...(cid ? { clientId: cid } : {}),
    });
    const view = messageView(message);
    if (!duplicate) this.ctx.events.emit('message', conv, view);
    return view;
  }

  async addNote(nav: NavigatorRecord, conversationId: string, body: unknown, clientId?: unknown): Promise<NoteView> {
    const t = text(body, 'text', 4000)!;
    const cid = clientIdOf(clientId);
    const conv = await this.parts.conv.viewable(nav, conversationId);
    const { note, duplicate } = await this.ctx.store.addNote({
      id: cid ?? randomUUID(), conversationId: conv.id, navigatorId: nav.id, authorName: nav.name, text: t, createdAt: this.ctx.clock.now(),
    });
    const view = noteView(note);
    if (!duplicate) this.ctx.events.emit('note', conv, view);
    return view;
  }

  async navigatorTyping(nav: NavigatorRecord, conversationId: string, typing: boolean): Promise<void> {
    const conv = await this.parts.conv.held(nav, conversationId, 'type in');
    this.ctx.events.emit('typing', conv, { from: 'navigator', typing: Boolean(typing), name: nav.name });
  }

  async navigatorRead(nav: NavigatorRecord, conversationId: string, seq: unknown): Promise<number> {
    if (!Number.isInteger(seq) || (seq as number) < 0) throw DaobanError.create('INVALID_FIELD', 'seq', 'must be a non-negative integer');
    const conv = await this.parts.conv.held(nav, conversationId, 'read');
    const mark = await this.ctx.store.markRead(conv.id, 'navigator', seq as number);
    this.ctx.events.emit('read', conv, { by: 'navigator', seq: mark });
    return mark;
  }

  /** Hands the conversation to another navigator (offered to them) or to another skill's queue (at its front), with a note. */
  async transfer(nav: NavigatorRecord, conversationId: string, target: TransferTarget, note?: unknown): Promise<ConversationSummary> {
    const noteText = text(note, 'note', 1000, false);
    return this.withLock(`conv:${conversationId}`, async () => {
      let conv = await this.parts.conv.held(nav, conversationId, 'transfer');
      if (conv.state !== 'with-navigator') throw DaobanError.create('INVALID_TRANSITION', 'transfer', conv.state);
      const packet = { ...(conv.packet ?? { reason: 'transfer', confidence: 1, summary: '', situation: {}, requestedAt: this.ctx.clock.now() }), transferredBy: nav.name, ...(noteText ? { transferNote: noteText } : {}) };
      const handling = await this.ctx.store.openHandling(conv.id);
      const now = this.ctx.clock.now();
      if (noteText) await this.addNote(nav, conv.id, `转接说明：${noteText}`);
      if (target && typeof target === 'object' && 'navigatorId' in target) {
        const local = this.parts.presence.get(target.navigatorId);
        const remote = this.ctx.cluster?.remotePresence().get(target.navigatorId);
        const p = local && local.sockets > 0 ? local : remote ? { navigator: { ...remote.navigator, passwordHash: '' }, sockets: remote.sockets } : undefined;
        if (!p || p.sockets === 0 || target.navigatorId === nav.id) throw DaobanError.create('NAVIGATOR_UNAVAILABLE', String(target.navigatorId));
        if (!mayTake(p.navigator, conv.skill)) throw DaobanError.create('SKILL_MISMATCH', p.navigator.username, conv.skill);
        const load = (await this.parts.queue.view()).loads.get(p.navigator.id) ?? 0;
        if (load >= p.navigator.capacity) throw DaobanError.create('CAPACITY_FULL', p.navigator.username, p.navigator.capacity);
        conv = (await this.ctx.store.transition(conv.id, conv.version, {
          to: 'queued', patch: { navigatorId: null, packet, queueRank: await this.parts.queue.frontRank(), queuedAt: now }, actor: `navigator:${nav.id}`,
          reason: 'transferred-to-navigator', data: { to: p.navigator.id, note: noteText }, at: now,
        })) ?? this.parts.conv.conflict(conv, 'transfer');
        if (handling) await this.ctx.store.endHandling(handling.id, { endedAt: now, outcome: 'transferred' });
        await this.parts.conv.systemMessage(conv, 'transferred', TEXTS.transferred(conv.lang));
        await this.parts.offers.offer(conv, p.navigator.id, 'transfer-offer', nav.name);
        await this.parts.conv.announce((await this.parts.conv.load(conv.id)), [nav.id]);
      } else if (target && typeof target === 'object' && 'skill' in target) {
        const skill = text(target.skill, 'to.skill', 60)!;
        const skills = new Set([...knownSkills(this.ctx.kb()), ...[...this.parts.presence.values()].flatMap((p) => p.navigator.skills)]);
        if (!skills.has(skill)) throw DaobanError.create('INVALID_FIELD', 'to.skill', `unknown skill; known: ${[...skills].join(', ')}`);
        conv = (await this.ctx.store.transition(conv.id, conv.version, {
          to: 'queued', patch: { navigatorId: null, skill, packet, queueRank: await this.parts.queue.frontRank(), queuedAt: now },
          actor: `navigator:${nav.id}`, reason: 'transferred-to-skill', data: { skill, note: noteText }, at: now,
        })) ?? this.parts.conv.conflict(conv, 'transfer');
        if (handling) await this.ctx.store.endHandling(handling.id, { endedAt: now, outcome: 'transferred' });
        this.parts.offers.forgetDeclined(conv.id);
        await this.parts.conv.systemMessage(conv, 'transferred', TEXTS.transferred(conv.lang));
        await this.parts.conv.announce(conv, [nav.id]);
        this.parts.dispatcher.schedule();
      } else {
        throw DaobanError.create('INVALID_FIELD', 'to', 'must be { navigatorId } or { skill }');
      }
      this.parts.announcer.schedule();
      return this.parts.conv.summary(await this.parts.conv.load(conv.id));
    });
  }

  /** The bot takes the conversation back (the navigator may record a wrap-up code on the way). */
  async returnToBot(nav: NavigatorRecord, conversationId: string, code?: unknown, note?: unknown): Promise<ConversationSummary> {
    const wrapCode = code === undefined || code === null || code === '' ? undefined : this.wrapCode(code);
    const wrapNote = text(note, 'note', 1000, false);
    let conv = await this.parts.conv.held(nav, conversationId, 'return to the bot');
    const handling = await this.ctx.store.openHandling(conv.id);
    conv = await this.parts.conv.move(conv, 'bot', 'return to the bot', { actor: `navigator:${nav.id}`, reason: 'returned-to-bot', patch: { navigatorId: null }, data: { code: wrapCode } });
    if (handling) await this.ctx.store.endHandling(handling.id, { endedAt: this.ctx.clock.now(), outcome: 'returned-to-bot', ...(wrapCode ? { wrapCode } : {}), ...(wrapNote ? { wrapNote } : {}) });
    await this.parts.conv.systemMessage(conv, 'returned-to-bot', TEXTS.returnedToBot(conv.lang));
    await this.parts.conv.announce(conv, [nav.id]);
    this.parts.dispatcher.schedule();
    this.parts.announcer.schedule();
    return this.parts.conv.summary(conv);
  }

  /** Ends the chat: the citizen is asked to rate while the navigator records the wrap-up. */
  async end(nav: NavigatorRecord, conversationId: string): Promise<ConversationSummary> {
    let conv = await this.parts.conv.held(nav, conversationId, 'end');
    conv = await this.parts.conv.move(conv, 'wrap-up', 'end', { actor: `navigator:${nav.id}`, reason: 'navigator-ended' });
    await this.parts.conv.systemMessage(conv, 'chat-ended', TEXTS.chatEnded(conv.lang));
    await this.parts.conv.announce(conv);
    return this.parts.conv.summary(conv);
  }

  async wrapUp(nav: NavigatorRecord, conversationId: string, code: unknown, note?: unknown): Promise<ConversationSummary> {
    const wrapCode = this.wrapCode(code);
    const wrapNote = text(note, 'note', 1000, false);
    let conv = await this.parts.conv.held(nav, conversationId, 'wrap up');
    const ended = conv.state === 'with-navigator';
    const handling = await this.ctx.store.openHandling(conv.id);
    conv = await this.parts.conv.move(conv, 'resolved', 'wrap up', { actor: `navigator:${nav.id}`, reason: 'wrapped-up', patch: { navigatorId: null }, data: { code: wrapCode } });
    if (handling) await this.ctx.store.endHandling(handling.id, { endedAt: this.ctx.clock.now(), outcome: 'resolved', wrapCode, ...(wrapNote ? { wrapNote } : {}) });
    if (ended) await this.parts.conv.systemMessage(conv, 'chat-ended', TEXTS.chatEnded(conv.lang));
    await this.parts.conv.announce(conv, [nav.id]);
    this.parts.dispatcher.schedule();
    this.parts.announcer.schedule();
    return this.parts.conv.summary(conv);
  }

  private wrapCode(code: unknown): string {
    if (typeof code !== 'string' || !code) throw DaobanError.create('MISSING_FIELD', 'code');
    if (!WRAP_UP_CODE_IDS.includes(code)) throw DaobanError.create('INVALID_FIELD', 'code', `must be one of ${WRAP_UP_CODE_IDS.join(', ')}`);
    return code;
  }

  /** Agent assist: knowledge-base replies for the citizen's last question. */
  async suggest(nav: NavigatorRecord, conversationId: string): Promise<{ question?: string; suggestions: Suggestion[] }> {
    const conv = await this.parts.conv.viewable(nav, conversationId);
    const messages = await this.ctx.store.listMessages(conv.id);
    const question = [...messages].reverse().find((m) => m.sender === 'citizen')?.text;
    if (!question || !this.suggestFn) return { ...(question ? { question } : {}), suggestions: [] };
    const found = await this.suggestFn(question);
    return { question, suggestions: found.map((s) => ({ text: s.text, ...(s.citation ? { citation: s.citation } : {}) })) };
  }
}
