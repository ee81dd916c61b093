/**
 * Which navigator skill serves a conversation, and which department to recommend for a ticket,
 * from the departments' dispatch catalogue: service item → theme → department → skill.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { Department } from '../kb/schema.ts';
import type { NavigatorRecord } from '../storage/handoff-store.ts';

export const GENERAL_SKILL = 'general';

/** The department whose dispatch catalogue lists the theme (falling back to the item's own department). */
export function departmentForItem(kb: KnowledgeBase | undefined, itemId: string | null | undefined): Department | undefined {
  if (!kb || !itemId) return undefined;
  const item = kb.itemsById.get(itemId);
  if (!item) return undefined;
  return kb.departments.find((d) => d.themes.includes(item.theme)) ?? kb.departmentsById.get(item.department);
}

export function skillForItem(kb: KnowledgeBase | undefined, itemId: string | null | undefined): string {
  return departmentForItem(kb, itemId)?.skill ?? GENERAL_SKILL;
}

/** Whether conversations of the skill are routed to the navigator (everyone serves the general queue). */
export function routable(nav: Pick<NavigatorRecord, 'skills'>, skill: string): boolean {
  return nav.skills.includes(skill) || skill === GENERAL_SKILL;
}

/** Whether the navigator may take a conversation or ticket of the skill (supervisors take any). */
export function mayTake(nav: NavigatorRecord, skill: string): boolean {
  return nav.role === 'supervisor' || routable(nav, skill);
}

/** Every skill the catalogue knows, general first. */
export function knownSkills(kb: KnowledgeBase | undefined): string[] {
  const skills = new Set<string>([GENERAL_SKILL]);
  for (const d of kb?.departments ?? []) skills.add(d.skill);
  return [...skills];
}

/**
 * The department a ticket should go to: the item's, when one was discussed; otherwise the department
 * whose themes, items and "handles" phrases the citizen's words mention most; otherwise the general one.
 */
export function recommendDepartment(kb: KnowledgeBase | undefined, itemId: string | null | undefined, citizenText: string): Department | undefined {
  if (!kb) return undefined;
  const byItem = departmentForItem(kb, itemId);
  if (byItem) return byItem;
  const text = citizenText.toLowerCase();
  let best: { d: Department; score: number } | undefined;
  for (const d of kb.departments) {
    let score = 0;
    const terms = new Set<string>();
    for (const t of d.themes) {
      const theme = kb.themesById.get(t);
      if (theme) terms.add(theme.name);
    }
    for (const phrase of d.handles.split(/[、，,；;\s]+|与|和|及/)) if (phrase.length >= 2) terms.add(phrase);
    for (const item of kb.items) {
      if (!d.themes.includes(item.theme) && item.department !== d.id) continue;
      terms.add(item.title);
      for (const a of item.aliases) terms.add(a);
    }
    for (const term of terms) if (term && text.includes(term.toLowerCase())) score += term.length;
    if (score > 0 && (!best || score > best.score)) best = { d, score };
  }
  return best?.d ?? kb.departments.find((d) => d.skill === GENERAL_SKILL);
}
