/**
 * <daoban-widget>: the chat in a shadow root. It renders the conversation the CitizenClient keeps (transcript by
 * seq, replayed on reconnect and reload), and the conversation's mode: bot, waiting for a navigator, with a
 * navigator, after hours (leave a message), rating.
 */
import { chatLangOf, createI18n, LOCALE_NAMES, LOCALES, type I18n, type Locale } from '../shared/i18n.ts';
import { markdownToText, renderMarkdown } from '../shared/markdown.ts';
import {
  CitizenClient, newClientId, type CitizenState, type ConnectionStatus, type MessageView, type QueueStatus,
} from '../shared/protocol-client.ts';
import type { AvatarController, AvatarEvent, MountAvatar, SpeechTimeline } from './avatar/contract.ts';
import { checklistCard, checklistLink } from './checklist-card.ts';
import { append, clear, h, icon, ICONS } from './dom.ts';
import { leaveMessageForm, ratingForm, type UserInfo } from './forms.ts';
import type { WidgetSettings } from './settings.ts';
import { STYLES } from './styles.ts';

export type WidgetEventName =
  | 'ready' | 'open' | 'close' | 'message' | 'state' | 'handoff' | 'queue' | 'navigator' | 'ticket' | 'connection' | 'avatar' | 'language';

export type WidgetListener = (detail: unknown) => void;

interface SpeechRecognitionLike {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  start(): void;
  stop(): void;
  onresult: ((e: { results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }> }) => void) | null;
  onerror: ((e: { error: string }) => void) | null;
  onend: (() => void) | null;
}

const EXAMPLES: Record<'zh' | 'en', string[]> = {
  zh: ['居住证怎么办理？', '提取公积金需要什么材料？', '转人工'],
  en: ['How do I apply for a residence permit?', 'What do I need to withdraw my housing fund?'],
};

export class DaobanWidget extends HTMLElement {
  private settings!: WidgetSettings;
  private i18n!: I18n;
  private client: CitizenClient | undefined;
  private readonly root: ShadowRoot;
  private readonly listeners = new Map<WidgetEventName, Set<WidgetListener>>();
  private user: UserInfo = {};
  private isOpen = false;
  private unread = 0;
  private state: CitizenState | undefined;
  private queue: QueueStatus | undefined;
  private lastQuestion: string | undefined;
  private awaitingReply = new Set<number>();
  private readonly pending = new Map<string, HTMLElement>();
  private readonly streaming = new Map<number, { el: HTMLElement; text: string }>();
  private dockMode: 'none' | 'leave' | 'rating' | 'ticket' = 'none';
  private ticketRef: string | undefined;
  private rated = false;
  private avatar: AvatarController | undefined;
  private avatarLoading: Promise<void> | undefined;
  private recognition: SpeechRecognitionLike | undefined;
  private lastSpoken: MessageView | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  // parts
  private launcher!: HTMLButtonElement;
  private badge!: HTMLSpanElement;
  private panel!: HTMLElement;
  private titleEl!: HTMLHeadingElement;
  private subtitleEl!: HTMLParagraphElement;
  private closeBtn!: HTMLButtonElement;
  private langSelect!: HTMLSelectElement;
  private elderBtn!: HTMLButtonElement;
  private avatarBtn!: HTMLButtonElement;
  private humanBtn!: HTMLButtonElement;
  private banner!: HTMLElement;
  private avatarSlot!: HTMLElement;
  private log!: HTMLElement;
  private typingEl!: HTMLElement;
  private dock!: HTMLElement;
  private input!: HTMLTextAreaElement;
  private sendBtn!: HTMLButtonElement;
  private micBtn!: HTMLButtonElement;
  private hint!: HTMLElement;
  private announcer!: HTMLElement;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  /** Called once by the loader, before the element is added to the page. */
  configure(settings: WidgetSettings): void {
    this.settings = settings;
    this.i18n = createI18n(settings.locale);
    this.style.setProperty('--accent', settings.color);
    this.dataset.position = settings.position;
    if (settings.elder) this.dataset.elder = '';
    this.build();
    this.applyLanguage();
    if (settings.avatar) void this.setAvatar(true);
    if (settings.open || this.hasStoredSession()) this.connect();
    if (settings.open) this.open();
  }

  // --- public API (window.Daoban forwards here) -------------------------------------------------------

  on(event: WidgetEventName, fn: WidgetListener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  off(event: WidgetEventName, fn: WidgetListener): void {
    this.listeners.get(event)?.delete(fn);
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.connect();
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.unread = 0;
    this.updateBadge();
    this.scrollToEnd();
    this.input.focus();
    this.emit('open', {});
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.avatar?.stop();
    this.launcher.focus();
    this.emit('close', {});
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  /** Sends a question as if typed (opens the widget). */
  ask(text: string): void {
    this.open();
    void this.send(text);
  }

  setLanguage(locale: string): void {
    const next = (LOCALES as readonly string[]).includes(locale) ? (locale as Locale) : undefined;
    if (!next || next === this.i18n.locale) return;
    this.settings.locale = next;
    this.i18n = createI18n(next);
    if (this.client) this.client.lang = chatLangOf(next);
    this.applyLanguage();
    this.emit('language', { locale: next });
  }

  setUser(user: UserInfo): void {
    this.user = { ...this.user, ...user };
  }

  setElder(on: boolean): void {
    if (on) this.dataset.elder = '';
    else delete this.dataset.elder;
    this.elderBtn.setAttribute('aria-pressed', String(on));
  }

  async setAvatar(on: boolean): Promise<void> {
    this.avatarBtn.setAttribute('aria-pressed', String(on));
    if (!on) {
      this.avatar?.destroy();
      this.avatar = undefined;
      this.avatarSlot.hidden = true;
      delete this.dataset.avatar;
      this.emit('avatar', { on: false });
      return;
    }
    this.dataset.avatar = '';
    this.avatarSlot.hidden = false;
    if (this.avatar) return;
    this.avatarLoading ??= this.loadAvatar().finally(() => { this.avatarLoading = undefined; });
    await this.avatarLoading;
  }

  /** The digital human, once loaded (test hook: useManualClock/advance drive its mouth by the timeline). */
  get avatarController(): AvatarController | undefined {
    return this.avatar;
  }

  get sessionId(): string | undefined {
    return this.client?.sessionId;
  }

  // --- building --------------------------------------------------------------------------------------

  private build(): void {
    const style = h('style', {}, STYLES);
    this.badge = h('span', { class: 'badge', hidden: true });
    this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'db-panel', onclick: () => this.open() });
    this.titleEl = h('h2', { id: 'db-title' });
    this.subtitleEl = h('p', {});
    this.closeBtn = h('button', { type: 'button', class: 'icon-btn', onclick: () => this.close() }, icon(ICONS.close));
    this.langSelect = h('select', { onchange: () => this.setLanguage(this.langSelect.value) });
    for (const l of LOCALES) this.langSelect.appendChild(h('option', { value: l, lang: l }, LOCALE_NAMES[l]));
    this.elderBtn = h('button', { type: 'button', class: 'toggle', 'aria-pressed': String(this.settings.elder), 'data-action': 'elder', onclick: () => this.setElder(!('elder' in this.dataset)) });
    this.avatarBtn = h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'false', 'data-action': 'avatar', onclick: () => void this.setAvatar(!this.avatar && !this.avatarLoading) });
    this.humanBtn = h('button', { type: 'button', class: 'toggle human', 'data-action': 'human', onclick: () => void this.requestHuman() });
    this.banner = h('div', { class: 'banner', role: 'status', hidden: true });
    this.avatarSlot = h('div', { class: 'avatar-slot', hidden: true });
    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
    this.typingEl = h('div', { class: 'typing', 'aria-live': 'polite' });
    this.dock = h('div', { class: 'dock', hidden: true });
    this.input = h('textarea', { rows: 1, id: 'db-input', enterkeyhint: 'send' });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      this.sendBtn.disabled = !this.input.value.trim();
      this.input.style.height = 'auto';
      this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
      this.signalTyping();
    });
    this.sendBtn = h('button', { type: 'submit', class: 'send', disabled: true }, icon(ICONS.send));
    this.micBtn = h('button', { type: 'button', class: 'mic', 'aria-pressed': 'false', onclick: () => this.toggleMic() }, icon(ICONS.mic));
    this.hint = h('div', { class: 'hint', role: 'status', hidden: true });
    const composer = h('form', { class: 'composer', onsubmit: (e: Event) => { e.preventDefault(); this.submit(); } },
      this.micBtn, h('label', { class: 'sr-only', for: 'db-input', id: 'db-input-label' }), this.input, this.sendBtn);
    this.announcer = h('div', { class: 'sr-only', 'aria-live': 'assertive' });
    this.panel = h('section', { class: 'panel', id: 'db-panel', role: 'dialog', 'aria-labelledby': 'db-title', hidden: true },
      h('header', {}, h('span', { class: 'mark' }, icon(ICONS.chat, 22)), h('div', { class: 'titles' }, this.titleEl, this.subtitleEl), this.closeBtn),
      h('div', { class: 'toolbar' }, h('label', { class: 'sr-only', for: 'db-lang', id: 'db-lang-label' }), this.langSelect, this.elderBtn, this.avatarBtn, this.humanBtn),
      this.banner, this.avatarSlot, this.log, this.typingEl, this.dock, this.hint, composer, this.announcer);
    this.langSelect.id = 'db-lang';
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
    this.root.append(style, this.launcher, this.panel);
  }

  private applyLanguage(): void {
    const t = this.i18n.t;
    this.panel.setAttribute('dir', this.i18n.dir);
    this.panel.setAttribute('lang', this.i18n.locale === 'zh' ? 'zh-CN' : this.i18n.locale);
    this.launcher.setAttribute('dir', this.i18n.dir);
    clear(this.launcher);
    append(this.launcher, icon(ICONS.chat, 24), h('span', {}, this.settings.title ?? t('widget.title')), this.badge);
    this.launcher.setAttribute('aria-label', t('widget.launcher'));
    this.titleEl.textContent = this.settings.title ?? t('widget.title');
    this.subtitleEl.textContent = t('widget.subtitle');
    this.closeBtn.setAttribute('aria-label', t('widget.close'));
    this.langSelect.value = this.i18n.locale;
    this.root.getElementById('db-lang-label')!.textContent = t('settings.language');
    this.langSelect.setAttribute('aria-label', t('settings.language'));
    clear(this.elderBtn);
    append(this.elderBtn, icon(ICONS.elder, 16), t('settings.elder'));
    clear(this.avatarBtn);
    append(this.avatarBtn, icon(ICONS.avatar, 16), t('settings.avatar'));
    clear(this.humanBtn);
    append(this.humanBtn, icon(ICONS.person, 16), t('handoff.request'));
    this.log.setAttribute('aria-label', t('log.label'));
    this.input.placeholder = t('input.placeholder');
    this.root.getElementById('db-input-label')!.textContent = t('input.label');
    this.sendBtn.setAttribute('aria-label', t('input.send'));
    this.micBtn.setAttribute('aria-label', t('input.mic'));
    this.avatar?.setStrings(this.avatarStrings());
    if (this.client && this.client.messages.size === 0) this.renderWelcome();
    this.renderMode();
  }

  // --- connection ------------------------------------------------------------------------------------

  private hasStoredSession(): boolean {
    try {
      return Boolean(localStorage.getItem(`daoban.session:${new URL(this.settings.serverUrl).host}`));
    } catch {
      return false;
    }
  }

  private connect(): void {
    if (this.client) return;
    const client = new CitizenClient({ serverUrl: this.settings.serverUrl, lang: chatLangOf(this.i18n.locale) });
    this.client = client;
    client.on('status', (status, error) => this.onConnection(status, error));
    client.on('sync', (messages, state, reset) => {
      if (reset) {
        clear(this.log);
        this.pending.clear();
        this.streaming.clear();
        if (!messages.length) this.renderWelcome();
        for (const m of messages) this.renderMessage(m, false);
        this.refreshActiveChips();
        this.scrollToEnd();
      }
      this.onState(state);
    });
    client.on('message', (m) => this.onMessage(m));
    client.on('delta', (d) => this.onDelta(d.replyTo, d.chunk, d.reset === true));
    client.on('state', (s) => this.onState(s));
    client.on('queue', (q) => {
      this.queue = q;
      this.renderMode();
      this.emit('queue', q);
    });
    client.on('typing', (t) => {
      this.typingEl.replaceChildren(...(t.typing ? [h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), this.i18n.t('status.navigatorTyping')] : []));
    });
  }

  private onConnection(status: ConnectionStatus, error?: { code: string; message: string }): void {
    this.emit('connection', { status, sessionId: this.client?.sessionId, ...(error ? { error } : {}) });
    this.connection = status;
    this.renderMode();
  }

  private connection: ConnectionStatus = 'connecting';

  // --- messages --------------------------------------------------------------------------------------

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.input.style.height = 'auto';
    this.sendBtn.disabled = true;
    void this.send(text);
  }

  private async send(text: string, clientId = newClientId()): Promise<void> {
    this.connect();
    const client = this.client!;
    this.lastQuestion = text;
    this.avatar?.stop();
    this.log.querySelector('.welcome')?.remove();
    let el = this.pending.get(clientId);
    if (!el) {
      el = this.messageShell('citizen', this.i18n.t('who.you'));
      el.dataset.clientId = clientId;
      el.querySelector('.bubble')!.appendChild(renderMarkdown(text));
      this.log.appendChild(el);
      this.pending.set(clientId, el);
    }
    el.querySelector('.failed')?.remove();
    const status = h('span', { class: 'pending' }, this.i18n.t('status.sending'));
    el.appendChild(status);
    this.scrollToEnd();
    this.disableOldChips();
    try {
      const { seq } = await client.send(text, clientId);
      status.remove();
      el.dataset.seq = String(seq);
      if (this.state?.responder !== 'navigator' && this.state?.responder !== 'queue') {
        this.awaitingReply.add(seq);
        this.renderTyping();
      }
    } catch {
      status.remove();
      el.appendChild(h('button', { type: 'button', class: 'failed', onclick: () => void this.send(text, clientId) }, this.i18n.t('status.sendFailed')));
    }
  }

  private onMessage(m: MessageView): void {
    this.log.querySelector('.welcome')?.remove();
    if (m.replyTo !== undefined) {
      this.awaitingReply.delete(m.replyTo);
      this.renderTyping();
    }
    this.renderMessage(m, true);
    this.refreshActiveChips();
    this.scrollToEnd();
    if (!this.isOpen && m.sender !== 'citizen') {
      this.unread++;
      this.updateBadge();
    }
    this.emit('message', m);
    if (m.sender === 'navigator' && this.state?.navigatorName) this.emit('navigator', { name: this.state.navigatorName });
    if ((m.sender === 'bot' || m.sender === 'navigator') && this.avatar) {
      this.lastSpoken = m;
      void this.avatar.speak(m.text, this.chatLang());
    }
    if (m.sender !== 'citizen' && this.isOpen) this.client?.read(m.seq);
  }

  private onDelta(replyTo: number, chunk: string, reset: boolean): void {
    let s = this.streaming.get(replyTo);
    if (!s) {
      const el = this.messageShell('bot', this.i18n.t('who.bot'));
      el.classList.add('streaming');
      el.setAttribute('aria-busy', 'true');
      this.log.appendChild(el);
      s = { el, text: '' };
      this.streaming.set(replyTo, s);
      this.awaitingReply.delete(replyTo);
      this.renderTyping();
    }
    s.text = reset ? chunk : s.text + chunk;
    const bubble = s.el.querySelector('.bubble')!;
    bubble.replaceChildren(renderMarkdown(s.text));
    this.scrollToEnd();
  }

  private messageShell(kind: MessageView['sender'], who: string): HTMLElement {
    return h('article', { class: `msg ${kind}` }, h('span', { class: 'who' }, who), h('div', { class: 'bubble' }));
  }

  private renderMessage(m: MessageView, live: boolean): void {
    if (this.log.querySelector(`[data-seq="${m.seq}"]:not([data-client-id])`)) return;
    // our own message coming back: the pending bubble becomes it
    if (m.sender === 'citizen' && m.clientId && this.pending.has(m.clientId)) {
      const el = this.pending.get(m.clientId)!;
      this.pending.delete(m.clientId);
      el.dataset.seq = String(m.seq);
      el.removeAttribute('data-client-id');
      el.querySelector('.pending')?.remove();
      return;
    }
    const t = this.i18n.t;
    const who = m.sender === 'citizen' ? t('who.you') : m.sender === 'bot' ? t('who.bot')
      : m.sender === 'navigator' ? `${t('who.navigator')}${m.authorName ? ` ${m.authorName}` : ''}` : t('who.system');
    const el = this.messageShell(m.sender, who);
    el.dataset.seq = String(m.seq);
    if (m.event) el.dataset.event = m.event;
    el.querySelector('.bubble')!.appendChild(renderMarkdown(m.text));
    if (m.sender === 'bot' && m.bot) this.decorateBotMessage(el, m);
    if (m.replyTo !== undefined) {
      const s = this.streaming.get(m.replyTo);
      if (s) {
        s.el.replaceWith(el);
        this.streaming.delete(m.replyTo);
        return;
      }
    }
    // keep seq order (a replay can deliver older messages after newer live ones)
    const after = [...this.log.querySelectorAll<HTMLElement>('.msg[data-seq]')].find((x) => Number(x.dataset.seq) > m.seq && !x.dataset.clientId);
    if (after) this.log.insertBefore(el, after);
    else this.log.appendChild(el);
    if (!live) el.dataset.history = '';
  }

  private decorateBotMessage(el: HTMLElement, m: MessageView): void {
    const bot = m.bot!;
    const t = this.i18n.t;
    if (bot.citations.length) {
      el.appendChild(h('div', { class: 'label' }, t('answer.sources')));
      el.appendChild(h('ul', { class: 'sources' }, ...bot.citations.map((c) => h('li', {},
        h('a', { href: c.url, target: '_blank', rel: 'noopener noreferrer' }, c.title), ' · ', t('answer.updated', { date: c.updatedAt })))));
    }
    if (bot.intent === 'checklist-complete') {
      const link = checklistLink(m.text);
      if (link) el.appendChild(checklistCard({ i18n: this.i18n, lang: this.chatLang(), serverUrl: this.settings.serverUrl, link, toast: (s) => this.toast(s) }));
    }
    if (bot.options?.length) {
      el.appendChild(h('div', { class: 'label' }, t('answer.options')));
      el.appendChild(h('div', { class: 'chips options', role: 'group', 'aria-label': t('answer.options') },
        ...bot.options.map((o) => h('button', { type: 'button', class: 'chip', 'data-value': o.value, onclick: () => void this.send(o.value) }, o.label))));
    }
    if (bot.suggestions.length) {
      el.appendChild(h('div', { class: 'label suggest' }, t('answer.suggestions')));
      el.appendChild(h('div', { class: 'chips suggest', role: 'group', 'aria-label': t('answer.suggestions') },
        ...bot.suggestions.map((s) => h('button', { type: 'button', class: 'chip', onclick: () => void this.send(s) }, s))));
    }
    if (bot.status === 'answered' || bot.status === 'checklist' || bot.status === 'clarify') el.appendChild(this.feedbackBar(m));
  }

  private feedbackBar(m: MessageView): HTMLElement {
    const t = this.i18n.t;
    const thanks = h('span', { class: 'thanks', role: 'status' });
    const vote = async (v: 'up' | 'down', btn: HTMLButtonElement) => {
      for (const b of bar.querySelectorAll('button[data-vote]')) b.setAttribute('aria-pressed', String(b === btn));
      try {
        const res = await fetch(`${this.settings.serverUrl}/api/feedback`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sessionId: this.client?.sessionId, messageSeq: m.seq, vote: v }),
        });
        thanks.textContent = res.ok ? t('answer.thanks') : '';
      } catch {
        thanks.textContent = '';
      }
    };
    const up: HTMLButtonElement = h('button', { type: 'button', class: 'icon-btn', 'data-vote': 'up', 'aria-pressed': 'false', 'aria-label': t('answer.helpful'), title: t('answer.helpful'), onclick: () => void vote('up', up) }, icon(ICONS.thumbUp, 16));
    const down: HTMLButtonElement = h('button', { type: 'button', class: 'icon-btn', 'data-vote': 'down', 'aria-pressed': 'false', 'aria-label': t('answer.notHelpful'), title: t('answer.notHelpful'), onclick: () => void vote('down', down) }, icon(ICONS.thumbDown, 16));
    const speak = h('button', {
      type: 'button', class: 'icon-btn', 'data-action': 'speak', 'aria-label': t('answer.speak'), title: t('answer.speak'),
      onclick: async () => {
        await this.setAvatar(true);
        void this.avatar?.speak(m.text, this.chatLang());
      },
    }, icon(ICONS.speaker, 16));
    const bar = h('div', { class: 'meta' }, up, down, speak, thanks);
    return bar;
  }

  /** Only the newest message's chips stay active: older choices are history. */
  private refreshActiveChips(): void {
    const msgs = [...this.log.querySelectorAll<HTMLElement>('.msg')];
    const lastMsg = msgs[msgs.length - 1];
    for (const b of this.log.querySelectorAll<HTMLButtonElement>('.chip')) b.disabled = !lastMsg?.contains(b);
  }

  private disableOldChips(): void {
    for (const b of this.log.querySelectorAll<HTMLButtonElement>('.chip')) b.disabled = true;
  }

  private renderWelcome(): void {
    if (this.log.querySelector('.welcome')) {
      this.log.querySelector('.welcome')!.remove();
    }
    const t = this.i18n.t;
    const examples = EXAMPLES[this.chatLang()];
    const el = h('article', { class: 'msg bot welcome' }, h('span', { class: 'who' }, t('who.bot')),
      h('div', { class: 'bubble' }, h('p', {}, t('widget.welcome'))),
      h('div', { class: 'label' }, t('widget.examples')),
      h('div', { class: 'chips examples' }, ...examples.map((q) => h('button', { type: 'button', class: 'chip', onclick: () => void this.send(q) }, q))));
    this.log.prepend(el);
  }

  private renderTyping(): void {
    const busy = this.awaitingReply.size > 0;
    this.typingEl.replaceChildren(...(busy ? [h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), this.i18n.t('status.typing')] : []));
  }

  private signalTyping(): void {
    if (this.state?.responder !== 'navigator') return;
    this.client?.typing(true);
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.client?.typing(false), 2500);
  }

  // --- conversation mode -----------------------------------------------------------------------------

  private onState(state: CitizenState): void {
    const before = this.state;
    this.state = state;
    if (state.queue) this.queue = state.queue;
    if (state.handoff?.ticketRef) this.ticketRef = state.handoff.ticketRef;
    this.emit('state', state);
    if (state.handoff && JSON.stringify(state.handoff) !== JSON.stringify(before?.handoff)) this.emit('handoff', state.handoff);
    if (state.responder === 'navigator' && before?.responder !== 'navigator') this.emit('navigator', { name: state.navigatorName });
    if (state.handoff?.ticketRef && state.handoff.ticketRef !== before?.handoff?.ticketRef) this.emit('ticket', { ref: state.handoff.ticketRef });
    // the dock follows the state
    const waiting = state.state === 'queued' || state.state === 'offered' || state.state === 'handoff-requested';
    if (state.state === 'after-hours') this.dockMode = 'leave';
    else if (state.state === 'ticket') this.dockMode = 'ticket';
    else if (state.canRate && !this.rated) this.dockMode = 'rating';
    else if (!(waiting && this.dockMode === 'leave')) this.dockMode = 'none';
    this.renderMode();
  }

  private renderMode(): void {
    if (!this.banner) return;
    const t = this.i18n.t;
    const s = this.state;
    const banner = this.banner;
    banner.className = 'banner';
    banner.hidden = false;
    clear(banner);
    if (this.connection === 'reconnecting') {
      banner.classList.add('warn');
      append(banner, t('status.reconnecting'));
    } else if (this.connection === 'failed' && !s) {
      banner.classList.add('warn');
      append(banner, t('status.failed'));
    } else if (s && (s.state === 'queued' || s.state === 'offered' || s.state === 'handoff-requested')) {
      const q = this.queue ?? s.queue;
      const position = q?.position ?? s.handoff?.position ?? 1;
      const wait = q?.waitMinutes ?? s.handoff?.waitMinutes;
      append(banner, h('p', { style: 'margin:0' }, wait ? t('handoff.queued', { position, min: wait.min, max: wait.max }) : t('handoff.queuedNoEstimate', { position })),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn', 'data-action': 'leave', onclick: () => { this.dockMode = 'leave'; this.renderMode(); } }, t('handoff.leave')),
          h('button', { type: 'button', class: 'btn ghost', 'data-action': 'cancel', onclick: () => void this.client?.cancelHandoff() }, t('handoff.cancel'))));
    } else if (s && s.responder === 'navigator') {
      banner.classList.add('ok');
      append(banner, s.navigatorName ? t('handoff.joined', { name: s.navigatorName }) : t('handoff.joinedAnon'));
    } else if (s && s.state === 'after-hours') {
      banner.classList.add('info');
      append(banner, t('handoff.afterHours'));
      if (s.handoff?.opensAt) {
        const when = new Date(s.handoff.opensAt).toLocaleString(this.i18n.locale === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' });
        append(banner, h('br'), t('handoff.opensAt', { time: when }));
      }
    } else banner.hidden = true;
    this.humanBtn.hidden = Boolean(s && s.responder !== 'bot');
    this.renderDock();
  }

  private renderDock(): void {
    const t = this.i18n.t;
    const dock = this.dock;
    const mode = this.dockMode;
    if (dock.dataset.mode === mode && mode !== 'ticket') return;
    dock.dataset.mode = mode;
    clear(dock);
    dock.hidden = mode === 'none';
    if (mode === 'leave') {
      dock.appendChild(leaveMessageForm({
        i18n: this.i18n, user: this.user, ...(this.lastQuestion ? { question: this.lastQuestion } : {}),
        onSubmit: async (input) => {
          const info = await this.client!.leaveMessage(input);
          if (info.ticketRef) this.ticketRef = info.ticketRef;
          this.dockMode = 'ticket';
          this.renderDock();
        },
        ...(this.state?.state === 'after-hours' ? {} : { onCancel: () => { this.dockMode = 'none'; this.renderDock(); } }),
      }));
      (dock.querySelector('input[name="phone"]') as HTMLInputElement | null)?.focus();
    } else if (mode === 'rating') {
      dock.appendChild(ratingForm({
        i18n: this.i18n,
        onSubmit: async (score, comment) => {
          await this.client!.rate(score, comment);
          this.rated = true;
          this.dockMode = 'none';
          this.renderDock();
          this.toast(t('rating.thanks'));
        },
      }));
    } else if (mode === 'ticket' && this.ticketRef) {
      dock.append(h('section', { class: 'ticket-box', role: 'status' },
        h('p', { style: 'margin:0' }, t('handoff.ticket', { ref: '' }).replace(/[:：]\s*$/, '：')),
        h('p', { class: 'ticket', 'data-ticket': this.ticketRef }, this.ticketRef),
        h('p', { style: 'margin:0;font-size:13px' }, t('handoff.ticketNote'))));
    }
  }

  private async requestHuman(): Promise<void> {
    this.open();
    try {
      const info = await this.client!.requestHandoff();
      this.emit('handoff', info);
    } catch (e) {
      this.toast(e instanceof Error ? e.message : String(e));
    }
  }

  // --- avatar ----------------------------------------------------------------------------------------

  private avatarStrings() {
    const t = this.i18n.t;
    return {
      label: t('avatar.label'), subtitles: t('avatar.subtitles'), pause: t('avatar.pause'), resume: t('avatar.resume'),
      stop: t('avatar.stop'), replay: t('avatar.replay'), noVoice: t('avatar.noVoice'),
    };
  }

  private async loadAvatar(): Promise<void> {
    this.avatarSlot.replaceChildren(h('p', { class: 'hint' }, this.i18n.t('avatar.loading')));
    try {
      const mod = (await import(/* @vite-ignore */ this.settings.avatarUrl)) as { mountAvatar: MountAvatar };
      this.avatarSlot.replaceChildren();
      this.avatar = mod.mountAvatar({
        container: this.avatarSlot,
        strings: this.avatarStrings(),
        fetchTimeline: (text, lang) => this.fetchTimeline(text, lang),
        onEvent: (e: AvatarEvent) => {
          this.emit('avatar', e);
          this.dispatchEvent(new CustomEvent(`daoban-avatar-${e.type}`, { detail: e }));
        },
      });
      this.emit('avatar', { on: true });
    } catch {
      this.avatarSlot.replaceChildren(h('p', { class: 'hint' }, this.i18n.t('avatar.failed')));
      this.avatarBtn.setAttribute('aria-pressed', 'false');
    }
  }

  private async fetchTimeline(text: string, lang: 'zh' | 'en'): Promise<SpeechTimeline> {
    const res = await fetch(`${this.settings.serverUrl}/api/speech/visemes`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: text.slice(0, 4000), lang }),
    });
    if (!res.ok) throw new Error(`visemes ${res.status}`);
    return (await res.json()) as SpeechTimeline;
  }

  // --- voice input -----------------------------------------------------------------------------------

  private toggleMic(): void {
    const t = this.i18n.t;
    if (this.recognition) {
      this.recognition.stop();
      return;
    }
    const w = window as unknown as { SpeechRecognition?: new () => SpeechRecognitionLike; webkitSpeechRecognition?: new () => SpeechRecognitionLike };
    const Ctor = w.SpeechRecognition ?? w.webkitSpeechRecognition;
    if (!Ctor) {
      this.showHint(t('input.micUnavailable'));
      this.input.focus();
      return;
    }
    const rec = new Ctor();
    rec.lang = this.chatLang() === 'zh' ? 'zh-CN' : 'en-US';
    rec.interimResults = true;
    rec.continuous = false;
    rec.onresult = (e) => {
      const text = Array.from(e.results).map((r) => r[0]?.transcript ?? '').join('');
      this.input.value = text;
      this.sendBtn.disabled = !text.trim();
      const lastResult = e.results[e.results.length - 1];
      if (lastResult?.isFinal && text.trim()) this.submit();
    };
    rec.onerror = (e) => this.showHint(e.error === 'not-allowed' || e.error === 'service-not-allowed' ? t('input.micUnavailable') : t('input.micFailed'));
    rec.onend = () => {
      this.recognition = undefined;
      this.micBtn.setAttribute('aria-pressed', 'false');
      this.micBtn.setAttribute('aria-label', t('input.mic'));
    };
    try {
      rec.start();
      this.recognition = rec;
      this.micBtn.setAttribute('aria-pressed', 'true');
      this.micBtn.setAttribute('aria-label', t('input.micStop'));
      this.showHint(t('input.listening'));
    } catch {
      this.showHint(t('input.micUnavailable'));
    }
  }

  // --- small things ----------------------------------------------------------------------------------

  private chatLang(): 'zh' | 'en' {
    return chatLangOf(this.i18n.locale);
  }

  private showHint(text: string): void {
    this.hint.textContent = text;
    this.hint.hidden = false;
  }

  private toast(text: string): void {
    this.announcer.textContent = text;
    this.showHint(text);
  }

  private updateBadge(): void {
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = String(this.unread);
    this.badge.setAttribute('aria-label', this.i18n.t('newMessages', { count: this.unread }));
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  emit(event: WidgetEventName, detail: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        fn(detail);
      } catch (e) {
        console.error('[daoban] listener failed', e);
      }
    }
    window.dispatchEvent(new CustomEvent(`daoban:${event}`, { detail }));
  }

  /** The text of the last answer spoken by the avatar (for tests and the replay button). */
  get lastSpokenText(): string | undefined {
    return this.lastSpoken ? markdownToText(this.lastSpoken.text) : undefined;
  }
}
