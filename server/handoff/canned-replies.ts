/**
 * Canned replies: short texts navigators insert, shared or per skill. Supervisors change any of them, navigators
 * those of their own skills (./canned-permissions.ts); every change is announced so open consoles refresh their
 * lists. The starter set is offered once per database, so a list the supervisors emptied stays empty after a restart.
 */
import { randomUUID } from 'node:crypto';
import { DaobanError } from '../errors/catalogue.ts';
import type { CannedReplyRecord, NavigatorRecord } from '../storage/handoff-store.ts';
import { DEFAULT_CANNED_REPLIES } from './canned-defaults.ts';
import { mayChangeCanned, maySeeCanned } from './canned-permissions.ts';
import type { HandoffContext } from './context.ts';
import { text } from './input.ts';
import type { CannedReplyView } from './types.ts';
import { cannedView } from './views.ts';

export class CannedReplies {
  constructor(private readonly ctx: HandoffContext) {}

  /** The defaults are offered once per database: a list the supervisors emptied stays empty. */
  async seedDefaults(): Promise<void> {
    const { store, clock } = this.ctx;
    if ((await store.claimOnce('canned-defaults', clock.now())) && !(await store.listCanned()).length) {
      for (const c of DEFAULT_CANNED_REPLIES) await store.saveCanned({ ...c, skill: null, updatedAt: clock.now(), updatedBy: null });
    }
  }

  async cannedReplies(nav: NavigatorRecord): Promise<CannedReplyView[]> {
    return (await this.ctx.store.listCanned()).filter((c) => maySeeCanned(nav, c.skill)).map(cannedView);
  }

  /** Creates (no id, or an id not stored yet) or replaces a reply; moving it to another skill needs the right to both. */
  async saveCannedReply(nav: NavigatorRecord, input: { id?: unknown; title?: unknown; text?: unknown; skill?: unknown }): Promise<CannedReplyView> {
    const id = input.id === undefined ? randomUUID() : text(input.id, 'id', 60)!;
    const existing = input.id === undefined ? undefined : await this.find(id);
    if (existing) this.assertMayChange(nav, existing);
    const title = text(input.title, 'title', 40)!;
    const body = text(input.text, 'text', 2000)!;
    const skill = text(input.skill, 'skill', 60, false) ?? null;
    if (!mayChangeCanned(nav, skill)) {
      throw DaobanError.create('FORBIDDEN', skill
        ? `Navigator "${nav.username}" does not have the skill "${skill}" (field "skill")`
        : 'Only supervisors may save shared canned replies (field "skill")');
    }
    const rec: CannedReplyRecord = { id, title, text: body, skill, updatedAt: this.ctx.clock.now(), updatedBy: nav.id };
    await this.ctx.store.saveCanned(rec);
    this.ctx.events.emit('canned-changed', { id, skills: existing && existing.skill !== skill ? [existing.skill, skill] : [skill] });
    return cannedView(rec);
  }

  async deleteCannedReply(nav: NavigatorRecord, id: string): Promise<void> {
    const existing = await this.find(id);
    if (existing) this.assertMayChange(nav, existing);
    if (!existing || !(await this.ctx.store.deleteCanned(id))) throw DaobanError.create('NOT_FOUND', `Canned reply "${id}"`);
    this.ctx.events.emit('canned-changed', { id, skills: [existing.skill] });
  }

  private async find(id: string): Promise<CannedReplyRecord | undefined> {
    return (await this.ctx.store.listCanned()).find((c) => c.id === id);
  }

  private assertMayChange(nav: NavigatorRecord, reply: CannedReplyRecord): void {
    if (mayChangeCanned(nav, reply.skill)) return;
    throw DaobanError.create('FORBIDDEN', reply.skill
      ? `Canned reply "${reply.id}" belongs to the skill "${reply.skill}"; only its navigators and supervisors may change it`
      : `Canned reply "${reply.id}" is shared; only supervisors may change it`);
  }
}
