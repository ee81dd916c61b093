/**
 * Who may see and change which canned replies. A reply is shared (no skill: every navigator sees it) or belongs to
 * one skill (seen by that skill's navigators). Supervisors see and change every reply; a navigator changes the
 * replies of their own skills, and only supervisors change the shared set.
 *
 * Dependency-free on purpose: the console imports it to show only the controls the service will accept.
 */

/** The part of a navigator the rules look at (a NavigatorRecord on the server, a NavigatorView in the console). */
export interface CannedEditor {
  role: 'navigator' | 'supervisor';
  skills: readonly string[];
}

/** The reply's skill: a skill name, or null/undefined/'' for a shared reply. */
type Skill = string | null | undefined;

export function maySeeCanned(nav: CannedEditor, skill: Skill): boolean {
  return !skill || nav.role === 'supervisor' || nav.skills.includes(skill);
}

/** Whether the navigator may create, edit or delete a reply of this skill (for a move, both skills must pass). */
export function mayChangeCanned(nav: CannedEditor, skill: Skill): boolean {
  return nav.role === 'supervisor' || (Boolean(skill) && nav.skills.includes(skill!));
}

/** Whether there is any reply the navigator may create: supervisors always, navigators with at least one skill. */
export function mayCreateCanned(nav: CannedEditor): boolean {
  return nav.role === 'supervisor' || nav.skills.length > 0;
}
