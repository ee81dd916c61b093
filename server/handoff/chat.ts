/**
 * The citizen's chat: the ChatPipeline behind HTTP and sockets. A citizen message is persisted (idempotent on
 * clientId) before anyone hears of it; the assistant answers only while the bot has the conversation, otherwise
 * the citizen gets a status reply (the message already went to the queue or the navigator). A reply already
 * running or stored for a message is reused, so a retried message is answered once.
 */
import type { ChatReply } from '../assistant/reply.ts';
import type { Assistant, ChatInput, DeltaListener, HandoffInfo, HandoffRequest } from '../assistant/types.ts';
import { DaobanError } from '../errors/catalogue.ts';
import type { ConversationRecord, MessageRecord } from '../storage/handoff-store.ts';
import type { CitizenStates } from './citizen-state.ts';
import type { HandoffContext } from './context.ts';
import type { Conversations } from './conversations.ts';
import { clientIdOf, text } from './input.ts';
import { isBotState } from './state-machine.ts';
import { TEXTS } from './texts.ts';
import { botTurnOf, messageView } from './views.ts';

export class CitizenChat {
  private assistant?: Assistant;
  private readonly inflight = new Map<string, Promise<ChatReply>>();

  constructor(
    private readonly ctx: HandoffContext,
    private readonly conv: Conversations,
    private readonly states: CitizenStates,
    /** HandoffPort (citizen-actions.ts): asks for a person on the assistant's behalf. */
    private readonly requestHandoff: (request: HandoffRequest) => Promise<HandoffInfo>,
  ) {}

  use(assistant: Assistant): void {
    this.assistant = assistant;
  }

  async handle(input: ChatInput, onDelta?: DeltaListener): Promise<ChatReply> {
    const { conv, message, duplicate } = await this.postCitizenMessage(input);
    if (duplicate) {
      const pending = this.inflight.get(`${conv.id}:${message.seq}`);
      if (pending) return pending;
      const stored = await this.ctx.store.findReply(conv.id, message.seq);
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
    let conv = input.sessionId === undefined ? await this.conv.openSession(input.lang) : await this.conv.bySession(input.sessionId);
    if (input.lang && input.lang !== conv.lang) {
      await this.ctx.store.updateConversation(conv.id, { lang: input.lang }, this.ctx.clock.now());
      conv = { ...conv, lang: input.lang };
    }
    const { message, duplicate } = await this.ctx.store.appendMessage({
      conversationId: conv.id, sender: 'citizen', text: body, createdAt: this.ctx.clock.now(), ...(clientId ? { clientId } : {}),
    });
    if (!duplicate) this.ctx.events.emit('message', conv, messageView(message));
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
    if (await this.ctx.store.findReply(conv.id, citizen.seq)) return;
    await this.respond(conv.id, citizen);
  }

  private async runAssistant(conv: ConversationRecord, citizen: MessageRecord, onDelta?: DeltaListener): Promise<ChatReply> {
    if (!this.assistant) throw DaobanError.create('INTERNAL');
    const reply = await this.assistant.reply({ sessionId: conv.sessionId, message: citizen.text, lang: conv.lang }, (chunk, meta) => {
      onDelta?.(chunk, meta);
      this.ctx.events.emit('bot-delta', conv, { replyTo: citizen.seq, chunk, ...(meta?.reset ? { reset: true } : {}) });
    });
    // The service the conversation is now about is written beside the bot's message (on the embedded store, in
    // the same commit), except before a request for a person, whose routing reads it.
    const itemUpdate = reply.item && reply.item.id !== conv.itemId
      ? this.ctx.store.updateConversation(conv.id, { itemId: reply.item.id }, this.ctx.clock.now())
      : undefined;
    const answered = await this.conv.load(conv.id);
    if (reply.status === 'handoff' && isBotState(answered.state) && answered.state !== 'after-hours' && !reply.handoff) {
      // The assistant decided on a person without asking the port: ask on its behalf.
      await itemUpdate;
      await this.requestHandoff({
        sessionId: conv.sessionId, reason: reply.intent ?? 'user-request', lang: answered.lang, confidence: reply.confidence,
        summary: citizen.text, ...(reply.item ? { itemId: reply.item.id } : {}),
      });
    }
    const [, { message, duplicate }] = await Promise.all([itemUpdate, this.ctx.store.appendMessage({
      conversationId: conv.id, sender: 'bot', text: reply.answer, data: { bot: botTurnOf(reply) }, replyTo: citizen.seq,
      clientId: `reply-${citizen.seq}`, createdAt: this.ctx.clock.now(),
    })]);
    // heard where the conversation was when the bot answered (a request for a person just made routes what follows)
    if (!duplicate) this.ctx.events.emit('message', answered, messageView(message));
    const after = await this.conv.load(conv.id);
    const final: ChatReply = { ...reply, sessionId: conv.sessionId };
    if (!isBotState(after.state) || after.state === 'after-hours' || after.state === 'ticket') {
      const info = await this.states.handoffInfo(after);
      if (reply.status === 'handoff' && info) final.handoff = reply.handoff ?? info;
    }
    return final;
  }

  private async routedReply(conv: ConversationRecord): Promise<ChatReply> {
    const info = await this.states.handoffInfo(conv);
    let answer: string;
    if (conv.state === 'with-navigator' || conv.state === 'wrap-up') answer = TEXTS.withNavigator(conv.lang, info?.navigatorName);
    else if (info?.position) answer = TEXTS.queued(conv.lang, info.position, info.waitMinutes);
    else answer = TEXTS.noNavigatorOnline(conv.lang);
    return {
      sessionId: conv.sessionId, status: 'handoff', answer, citations: [], confidence: 1, suggestions: [], lang: conv.lang,
      intent: `handoff:${conv.state}`, ...(info ? { handoff: info } : {}),
    };
  }
}
