/**
 * One answer for several services: when a question fits several items about equally but asks an aspect whose
 * answer is word for word the same for each of them ("养老保险转移接续要多长时间": every kind of transfer takes
 * 45 working days), the assistant can answer without knowing which one is meant — nothing is guessed. The
 * citizen still gets the choices, to learn what does differ.
 */
import type { ServiceItem } from '../kb/schema.ts';
import type { Aspect } from './aspects.ts';
import { itemTitle } from './citations.ts';
import { composeAspect, type ComposeContext, type Composed } from './compose-extractive.ts';

/** Materials lead to a situational checklist per item; every other aspect is one field the items may share. */
const SHAREABLE: ReadonlySet<Aspect> = new Set(['conditions', 'process', 'timeLimit', 'fee', 'where', 'online', 'appointment', 'legalBasis', 'contact']);

const TITLE_SLOT = '\u0000';

/** The aspect's answer for all the items at once, when it reads the same for each apart from the item's name. */
export function sharedAspectAnswer(ctx: ComposeContext, items: readonly ServiceItem[], aspect: Aspect | undefined): Composed | undefined {
  if (!aspect || !SHAREABLE.has(aspect) || items.length < 2) return undefined;
  let shape: string | undefined;
  const citations: Composed['citations'] = [];
  for (const item of items) {
    const composed = composeAspect(ctx, item, aspect);
    const title = itemTitle(item, ctx.lang);
    const parts = composed.answer.split(title);
    // the name only where the template puts it: named again in a field (a 京通 path ending in it), the texts differ
    if (parts.length !== 2) return undefined;
    const own = parts.join(TITLE_SLOT);
    if (shape === undefined) shape = own;
    else if (own !== shape) return undefined;
    for (const c of composed.citations) if (!citations.some((x) => x.id === c.id)) citations.push(c);
  }
  const names = items.map((i) => itemTitle(i, ctx.lang)).join(ctx.t.raw('list_separator'));
  const answer = [ctx.t.text('shared_answer_head'), shape!.split(TITLE_SLOT).join(names), '', ctx.t.text('shared_answer_pick')].join('\n');
  return { answer, citations };
}
