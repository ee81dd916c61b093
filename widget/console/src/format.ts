/** Display helpers: durations, clock times, and labels for codes the server sends. */
import { lang, t, tOr } from './i18n.ts';
import type { ConversationState } from './protocol.ts';

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('time.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('time.m', { n: m });
  return t('time.h', { h: Math.floor(m / 60), m: m % 60 });
}

export function clockTime(iso: string): string {
  const d = new Date(iso);
  const sameDay = new Date().toDateString() === d.toDateString();
  return d.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    ...(sameDay ? {} : { month: 'numeric', day: 'numeric' }), hour: '2-digit', minute: '2-digit',
  });
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const skillLabel = (skill: string) => tOr(`skill.${skill}`, skill);
export const stateLabel = (state: ConversationState) => tOr(`state.${state}`, state);
export const reasonLabel = (reason: string, serverLabel?: string) => tOr(`reason.${reason}`, serverLabel ?? reason);
export const percent = (x: number) => Math.round(Math.max(0, Math.min(1, x)) * 100);

/** A short, stable handle for a conversation id ("会话 3f9a"). */
export const shortId = (id: string) => id.replace(/^c_/, '').slice(0, 6);
