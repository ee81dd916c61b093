/**
 * What the canned-reply manager shows, worked out from the data: the replies grouped by who sees them, which
 * scopes this navigator may save a reply to, and which form field a refusal from the service is about.
 * The permission rules are the service's own (server/handoff/canned-permissions.ts, dependency-free).
 */
import { mayChangeCanned, type CannedEditor } from '../../../server/handoff/canned-permissions.ts';
import { t } from './i18n.ts';
import type { CannedReplyView } from './protocol.ts';

export { mayCreateCanned } from '../../../server/handoff/canned-permissions.ts';

/** Replies seen by the same navigators: the shared set (skill null), then one group per skill. */
export interface CannedGroup {
  skill: string | null;
  replies: CannedReplyView[];
  /** This navigator may edit and delete the group's replies. */
  changeable: boolean;
}

/** Shared replies first, then the navigator's own skills in their order, then any other skill (supervisors) by name. */
export function groupCanned(replies: readonly CannedReplyView[], me: CannedEditor): CannedGroup[] {
  const bySkill = new Map<string | null, CannedReplyView[]>();
  for (const r of replies) {
    const skill = r.skill || null;
    bySkill.set(skill, [...(bySkill.get(skill) ?? []), r]);
  }
  const rank = (skill: string | null) => (skill === null ? -1 : me.skills.includes(skill) ? me.skills.indexOf(skill) : me.skills.length);
  return [...bySkill.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a ?? '').localeCompare(b ?? ''))
    .map(([skill, list]) => ({ skill, replies: list, changeable: mayChangeCanned(me, skill) }));
}

/**
 * The scopes the form offers (null: shared): those the navigator may save to, among the known skills and their
 * own; a reply being edited keeps its current scope on the list.
 */
export function scopeChoices(me: CannedEditor, knownSkills: readonly string[], current?: string | null): Array<string | null> {
  const candidates = [null, ...new Set([...me.skills, ...knownSkills, ...(current ? [current] : [])])];
  return candidates.filter((skill) => mayChangeCanned(me, skill));
}

export type CannedField = 'title' | 'text' | 'skill';

/** A refusal as the form shows it: next to the field the service named, or above the buttons when it named none. */
export interface CannedFormError {
  field?: CannedField;
  text: string;
}

/** Turns the service's error (catalogue code and message, e.g. `Missing required field "text"`) into the form's. */
export function cannedFormError(err: { code: string; message: string }): CannedFormError {
  const named = /field "(title|text|skill)"/.exec(err.message)?.[1] as CannedField | undefined;
  const field = named ? { field: named } : {};
  switch (err.code) {
    case 'DB_MISSING_FIELD':
      return { ...field, text: t('canned.err.required') };
    case 'DB_INVALID_FIELD': {
      const max = /at most (\d+) characters/.exec(err.message)?.[1];
      return { ...field, text: max ? t('canned.err.tooLong', { max }) : t('err.generic', { message: err.message }) };
    }
    case 'DB_FORBIDDEN':
      return { ...field, text: named === 'skill' ? t('canned.err.scope') : t('canned.err.forbidden') };
    case 'DB_NOT_FOUND':
      return { text: t('canned.err.gone') };
    case 'timeout':
      return { text: t('err.timeout') };
    default:
      return { ...field, text: t('err.generic', { message: err.message }) };
  }
}
