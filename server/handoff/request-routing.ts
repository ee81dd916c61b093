/**
 * Where a request for a person goes once the conversation is in 'handoff-requested': to the queue of its
 * item's skill, or to 'after-hours' when the calendar says navigators are off. requestHandoff does it right
 * after its first move; recovery does it for a conversation a crash left between the two (recovery.ts).
 */
import type { ConversationRecord } from '../storage/handoff-store.ts';
import { DEFAULT_CALENDAR, openingAt } from './calendar.ts';
import type { HandoffContext, HandoffParts } from './context.ts';
import { skillForItem } from './routing.ts';
import { TEXTS } from './texts.ts';

/** Reasons that jump the queue: higher first. */
export const PRIORITY_BY_REASON: Readonly<Record<string, number>> = { emergency: 2, complaint: 1 };

/**
 * Moves a 'handoff-requested' conversation on (version-checked: throws INVALID_TRANSITION if it changed
 * meanwhile), tells the citizen and, when queued, routes. `data` is added to the transition's event.
 */
export async function routeRequest(
  ctx: HandoffContext, parts: HandoffParts, conv: ConversationRecord, data: Record<string, unknown> = {},
): Promise<ConversationRecord> {
  const now = ctx.clock.now();
  const opening = openingAt(ctx.kb()?.calendar ?? DEFAULT_CALENDAR, now);
  if (!opening.open) {
    conv = await parts.conv.move(conv, 'after-hours', 'close', {
      actor: 'system', reason: 'outside-working-hours',
      data: { ...(opening.opensAt ? { opensAt: new Date(opening.opensAt).toISOString() } : {}), ...(opening.holiday ? { holiday: opening.holiday } : {}), ...data },
    });
    const info = (await parts.states.handoffInfo(conv))!;
    await parts.conv.systemMessage(conv, 'after-hours', TEXTS.afterHours(conv.lang, info.opensAt, opening.holiday));
    await parts.conv.announce(conv);
    return conv;
  }
  const skill = skillForItem(ctx.kb(), conv.itemId ?? undefined);
  conv = await parts.conv.move(conv, 'queued', 'queue', {
    actor: 'system', reason: 'routed-to-skill', data: { skill, ...data },
    patch: { skill, priority: PRIORITY_BY_REASON[conv.packet?.reason ?? ''] ?? 0, queueRank: parts.queue.nextRank(), queuedAt: now },
  });
  await parts.conv.announce(conv);
  parts.dispatcher.schedule();
  return conv;
}
