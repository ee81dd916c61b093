/**
 * Tickets (left messages) on the navigator side: listed by status for the navigator's skills (supervisors
 * see all), claimed by one navigator, closed by them or a supervisor with a note. Every change is announced.
 */
import { DaobanError } from '../errors/catalogue.ts';
import type { NavigatorRecord, TicketStatus } from '../storage/handoff-store.ts';
import type { HandoffContext } from './context.ts';
import type { Conversations } from './conversations.ts';
import { text } from './input.ts';
import { GENERAL_SKILL, mayTake } from './routing.ts';
import type { TicketView } from './types.ts';

export class Tickets {
  constructor(private readonly ctx: HandoffContext, private readonly conv: Conversations) {}

  async tickets(nav: NavigatorRecord, status?: unknown): Promise<TicketView[]> {
    if (status !== undefined && status !== 'open' && status !== 'claimed' && status !== 'closed') {
      throw DaobanError.create('INVALID_FIELD', 'status', 'must be open, claimed or closed');
    }
    const skills = nav.role === 'supervisor' ? undefined : [...new Set([...nav.skills, GENERAL_SKILL])];
    const list = await this.ctx.store.listTickets({ ...(status ? { status: status as TicketStatus } : {}), ...(skills ? { skills } : {}) });
    return list.map((t) => this.conv.ticketView(t));
  }

  async claimTicket(nav: NavigatorRecord, ticketId: string): Promise<TicketView> {
    const t = await this.ctx.store.getTicket(ticketId);
    if (!t) throw DaobanError.create('NOT_FOUND', `Ticket "${ticketId}"`);
    if (!mayTake(nav, t.skill)) throw DaobanError.create('SKILL_MISMATCH', nav.username, t.skill);
    const claimed = await this.ctx.store.claimTicket(ticketId, nav.id, this.ctx.clock.now());
    if (!claimed) throw DaobanError.create('TICKET_NOT_OPEN', ticketId, (await this.ctx.store.getTicket(ticketId))?.status ?? 'gone');
    const view = this.conv.ticketView(claimed);
    this.ctx.events.emit('ticket', view);
    return view;
  }

  async closeTicket(nav: NavigatorRecord, ticketId: string, note?: unknown): Promise<TicketView> {
    const closeNote = text(note, 'note', 1000, false);
    const t = await this.ctx.store.getTicket(ticketId);
    if (!t) throw DaobanError.create('NOT_FOUND', `Ticket "${ticketId}"`);
    if (t.status === 'claimed' && t.claimedBy !== nav.id && nav.role !== 'supervisor') throw DaobanError.create('FORBIDDEN', 'Only the navigator who claimed the ticket, or a supervisor, can close it');
    if (t.status === 'open' && !mayTake(nav, t.skill)) throw DaobanError.create('SKILL_MISMATCH', nav.username, t.skill);
    const closed = await this.ctx.store.closeTicket(ticketId, closeNote ?? null, this.ctx.clock.now());
    if (!closed) throw DaobanError.create('TICKET_NOT_OPEN', ticketId, t.status);
    const view = this.conv.ticketView(closed);
    this.ctx.events.emit('ticket', view);
    return view;
  }
}
