/**
 * Widget settings, from the script tag's data attributes and/or `window.DaobanSettings` (the object wins):
 *   data-server="https://daoban.example.gov.cn"  the service (default: where widget.js came from)
 *   data-lang="zh|en|fr|de|ru|ja|ko|es|ar"       interface language (default: the page's, then zh)
 *   data-position="right|left"                   data-color="#1f4e99"           data-title="导办小助手"
 *   data-open="true"                             data-avatar="on"               data-elder="on"
 */
import { matchLocale, type Locale } from '../shared/i18n.ts';

export interface WidgetSettings {
  serverUrl: string;
  locale: Locale;
  position: 'right' | 'left';
  color: string;
  title?: string;
  open: boolean;
  avatar: boolean;
  elder: boolean;
  /** URL of the digital-human chunk (next to widget.js). */
  avatarUrl: string;
}

export type SettingsInput = Partial<Omit<WidgetSettings, 'locale'>> & { lang?: string; locale?: string; server?: string };

const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v));

/** Only a colour value: anything else would let a page inject CSS. */
export function safeColor(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\))$/i.test(value.trim()) ? value.trim() : undefined;
}

export function readSettings(script: HTMLScriptElement | null, overrides: SettingsInput = {}): WidgetSettings {
  const data = script?.dataset ?? {};
  const scriptUrl = script?.src ? new URL(script.src, location.href) : new URL(location.href);
  const server = overrides.serverUrl ?? overrides.server ?? data.server ?? scriptUrl.origin;
  const locale = matchLocale(overrides.locale ?? overrides.lang ?? data.lang) ?? matchLocale(document.documentElement.lang) ?? 'zh';
  const pick = <T>(o: T | undefined, d: T | undefined, fallback: T): T => (o !== undefined ? o : d !== undefined ? d : fallback);
  const title = overrides.title ?? data.title;
  return {
    serverUrl: new URL(server, location.href).href.replace(/\/$/, ''),
    locale,
    position: pick(overrides.position, data.position === 'left' ? 'left' : undefined, 'right'),
    color: safeColor(overrides.color ?? data.color) ?? '#1f4e99',
    ...(title ? { title } : {}),
    open: truthy(pick<unknown>(overrides.open, data.open, false)),
    avatar: truthy(pick<unknown>(overrides.avatar, data.avatar, false)),
    elder: truthy(pick<unknown>(overrides.elder, data.elder, false)),
    avatarUrl: overrides.avatarUrl ?? new URL('widget-avatar.js', scriptUrl).href,
  };
}
