/**
 * Canned replies: short texts navigators insert, general or per skill, edited by supervisors. The starter
 * set is offered once per database, so a list the supervisors emptied stays empty after a restart.
 */
import { randomUUID } from 'node:crypto';
import { DaobanError } from '../errors/catalogue.ts';
import type { NavigatorRecord } from '../storage/handoff-store.ts';
import { DEFAULT_CANNED_REPLIES } from './canned-defaults.ts';
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
    return (await this.ctx.store.listCanned()).filter((c) => !c.skill || nav.role === 'supervisor' || nav.skills.includes(c.skill)).map(cannedView);
  }

  async saveCannedReply(nav: NavigatorRecord, input: { id?: unknown; title?: unknown; text?: unknown; skill?: unknown }): Promise<CannedReplyView> {
    const id = input.id === undefined ? randomUUID() : text(input.id, 'id', 60)!;
    const title = text(input.title, 'title', 40)!;
    const body = text(input.text, 'text', 2000)!;
    const skill = text(input.skill, 'skill', 60, false) ?? null;
    const rec = { id, title, text: body, skill, updatedAt: this.ctx.clock.now(), updatedBy: nav.id };
    await this.ctx.store.saveCanned(rec);
    return cannedView(rec);
  }

  async deleteCannedReply(_nav: NavigatorRecord, id: string): Promise<void> {
    if (!(await this.ctx.store.deleteCanned(id))) throw DaobanError.create('NOT_FOUND', `Canned reply "${id}"`);
  }
}
