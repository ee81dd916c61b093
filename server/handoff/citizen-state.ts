/**
 * What a citizen is told of their conversation: who answers (bot, queue, navigator), their place and wait in
 * the queue, the navigator's name, after-hours and ticket details, and whether they may rate the service.
 */
import type { HandoffInfo } from '../assistant/types.ts';
import type { ConversationRecord } from '../storage/handoff-store.ts';
import { DEFAULT_CALENDAR, openingAt } from './calendar.ts';
import type { HandoffContext } from './context.ts';
import type { Queue, QueueView } from './queue.ts';
import { recommendDepartment } from './routing.ts';
import { isBotState, NAVIGATOR_STATES, QUEUE_STATES } from './state-machine.ts';
import type { CitizenState } from './types.ts';

export class CitizenStates {
  constructor(private readonly ctx: HandoffContext, private readonly queue: Queue) {}

  async citizenState(conv: ConversationRecord, queue?: QueueView): Promise<CitizenState> {
    const q = queue ?? (QUEUE_STATES.includes(conv.state) ? await this.queue.view() : undefined);
    const info = await this.handoffInfo(conv, q);
    const status = q && (conv.state === 'queued' || conv.state === 'offered') ? await this.queue.status(conv, q) : undefined;
    const responder = isBotState(conv.state) ? 'bot' : NAVIGATOR_STATES.includes(conv.state) ? 'navigator' : 'queue';
    const navigatorName = conv.navigatorId ? this.ctx.navigatorNames.get(conv.navigatorId) : undefined;
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
    const h = await this.ctx.store.lastHandling(conv.id);
    if (!h || (h.endedAt === null && conv.state !== 'wrap-up')) return false;
    return !(await this.ctx.store.getRating(h.id));
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
        const name = conv.navigatorId ? this.ctx.navigatorNames.get(conv.navigatorId) : undefined;
        return { state: 'with-navigator', ...(name ? { navigatorName: name } : {}) };
      }
      case 'after-hours': {
        const kb = this.ctx.kb();
        const opening = openingAt(kb?.calendar ?? DEFAULT_CALENDAR, this.ctx.clock.now());
        const citizenText = (await this.ctx.store.listMessages(conv.id)).filter((m) => m.sender === 'citizen').map((m) => m.text).join('\n');
        const d = recommendDepartment(kb, conv.itemId, citizenText);
        return {
          state: opening.open ? 'unavailable' : 'after-hours',
          ...(opening.opensAt ? { opensAt: new Date(opening.opensAt).toISOString() } : {}),
          ...(d ? { department: { id: d.id, name: d.name, ...(d.hotline ? { hotline: d.hotline } : {}) } } : {}),
        };
      }
      case 'ticket': {
        const t = (await this.ctx.store.listTickets({ conversationId: conv.id })).at(-1);
        if (!t) return { state: 'ticket' };
        const d = t.departmentId ? this.ctx.kb()?.departmentsById.get(t.departmentId) : undefined;
        return {
          state: 'ticket', ticketRef: t.ref,
          ...(t.departmentId ? { department: { id: t.departmentId, name: d?.name ?? t.departmentId, ...(d?.hotline ? { hotline: d.hotline } : {}) } } : {}),
        };
      }
      default:
        return undefined;
    }
  }
}
