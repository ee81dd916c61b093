/**
 * widget.js: one script tag adds the Daoban chat to any page.
 *
 *   <script src="https://daoban.example.gov.cn/widget.js" data-lang="zh" data-position="right"
 *           data-color="#1f4e99" data-title="导办小助手" data-open="false" data-avatar="off" async></script>
 *
 * or `window.DaobanSettings = { ... }` before it. The page gets `window.Daoban`:
 *   open(), close(), toggle(), ask(text), setLanguage(locale), setUser({ name, phone, email }),
 *   setElder(on), setAvatar(on), on(event, fn) / off(event, fn)
 *   events: ready, open, close, message, state, handoff, queue, navigator, ticket, connection, avatar, language
 * (also dispatched on window as `daoban:<event>` CustomEvents).
 */
import { readSettings, type SettingsInput } from './settings.ts';
import { DaobanWidget, type WidgetEventName, type WidgetListener } from './widget-element.ts';

const TAG = 'daoban-widget';

export interface DaobanApi {
  open(): void;
  close(): void;
  toggle(): void;
  ask(text: string): void;
  setLanguage(locale: string): void;
  setUser(user: { name?: string; phone?: string; email?: string }): void;
  setElder(on: boolean): void;
  setAvatar(on: boolean): Promise<void>;
  on(event: WidgetEventName, fn: WidgetListener): () => void;
  off(event: WidgetEventName, fn: WidgetListener): void;
  readonly sessionId: string | undefined;
  /** The digital human while its mode is on (test hook: useManualClock(), advance(ms), viseme). */
  readonly avatar: DaobanWidget['avatarController'];
  readonly element: DaobanWidget;
}

declare global {
  interface Window {
    Daoban?: DaobanApi;
    DaobanSettings?: SettingsInput;
  }
}

function boot(script: HTMLScriptElement | null): void {
  if (window.Daoban) return; // one widget per page
  if (!customElements.get(TAG)) customElements.define(TAG, DaobanWidget);
  const el = document.createElement(TAG) as DaobanWidget;
  const settings = readSettings(script, window.DaobanSettings ?? {});
  const api: DaobanApi = {
    open: () => el.open(),
    close: () => el.close(),
    toggle: () => el.toggle(),
    ask: (text) => el.ask(String(text)),
    setLanguage: (locale) => el.setLanguage(String(locale)),
    setUser: (user) => el.setUser(user ?? {}),
    setElder: (on) => el.setElder(Boolean(on)),
    setAvatar: (on) => el.setAvatar(Boolean(on)),
    on: (event, fn) => el.on(event, fn),
    off: (event, fn) => el.off(event, fn),
    get sessionId() { return el.sessionId; },
    get avatar() { return el.avatarController; },
    element: el,
  };
  window.Daoban = api;
  el.configure(settings);
  document.body.appendChild(el);
  el.emit('ready', { locale: settings.locale });
}

const current = document.currentScript as HTMLScriptElement | null;
if (document.body) boot(current);
else document.addEventListener('DOMContentLoaded', () => boot(current), { once: true });
